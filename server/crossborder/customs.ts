import { readFileSync } from 'node:fs';
import path from 'node:path';
import { validateXML } from 'xmllint-wasm';
import { CUSTOMS_COUNTRY, yuan } from './rules.ts';

/**
 * The customs messages of a paid cross-border order (三单, docs/CROSSBORDER.md): CEB311 (order, by
 * the platform), CEB411 (payment, by the payment company), CEB511 (waybill, by the logistics company).
 * Zhibo writes all three for the brand to hand to its customs broker; each is validated against the
 * XSD in ./xsd, written from the published field list (the official XSD was not obtainable).
 */
export type MessageType = 'CEB311' | 'CEB411' | 'CEB511';
export const MESSAGE_TYPES: MessageType[] = ['CEB311', 'CEB411', 'CEB511'];

/** The platform's and the sandbox's registration codes: placeholders until real ones are configured (docs/CROSSBORDER.md). */
export const PLATFORM = { code: '31019ZB001', name: 'Zhibo 直播电商平台', dxpId: 'DXPENT0000000000' };
export const SANDBOX_PAYER = { code: '31019SBX01', name: 'Zhibo 沙箱支付' };
/** 011 = 件 (piece) in the customs unit list; every line is declared in pieces. */
const UNIT_PIECE = '011';
const CNY = '142';

export type DeclarationFacts = {
  guids: { order: string; payment: string; waybill: string };
  orderNo: string;
  appTime: Date;
  brand: { code: string; name: string };
  buyer: { userId: string; realName: string; idNumber: string; telephone: string };
  consignee: { name: string; phone: string; address: string };
  lines: { title: string; spec: string; quantity: number; unitPriceFen: number; paidFen: number; country: string; hsCode: string }[];
  goodsFen: number;
  shippingFen: number;
  discountFen: number;
  taxFen: number;
  totalFen: number;
  payment: { tradeNo: string; paidAt: Date };
  waybill: { carrier: string; trackingNo: string; placeholder: boolean };
};

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const cut = (s: string, max: number) => [...s].slice(0, max).join('');
/** YYYYMMDDhhmmss in China time. */
const time14 = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().replace(/[-:T]/g, '').slice(0, 14);

function tags(fields: [string, string | number | null | undefined][], indent: string) {
  return fields
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `${indent}<ceb:${k}>${esc(String(v))}</ceb:${k}>`)
    .join('\n');
}

function envelope(type: MessageType, guid: string, body: string) {
  const transfer = tags([['copCode', PLATFORM.code], ['copName', PLATFORM.name], ['dxpMode', 'DXP'], ['dxpId', PLATFORM.dxpId]], '    ');
  return `<?xml version="1.0" encoding="UTF-8"?>
<ceb:${type}Message guid="${guid}" version="1.0" xmlns:ceb="http://www.chinaport.gov.cn/ceb" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
${body}
  <ceb:BaseTransfer>
${transfer}
  </ceb:BaseTransfer>
</ceb:${type}Message>
`;
}

export function buildMessages(f: DeclarationFacts): Record<MessageType, string> {
  const head = (guid: string): [string, string][] => [['guid', guid], ['appType', '1'], ['appTime', time14(f.appTime)], ['appStatus', '2']];
  const orderHead = tags(
    [
      ...head(f.guids.order),
      ['orderType', 'I'],
      ['orderNo', f.orderNo],
      ['ebpCode', PLATFORM.code],
      ['ebpName', PLATFORM.name],
      ['ebcCode', cut(f.brand.code, 18)],
      ['ebcName', cut(f.brand.name, 100)],
      ['goodsValue', yuan(f.goodsFen)],
      ['freight', yuan(f.shippingFen)],
      ['discount', yuan(f.discountFen)],
      ['taxTotal', yuan(f.taxFen)],
      ['acturalPaid', yuan(f.totalFen)],
      ['currency', CNY],
      ['buyerRegNo', f.buyer.userId],
      ['buyerName', cut(f.buyer.realName, 60)],
      ['buyerTelephone', f.buyer.telephone],
      ['buyerIdType', '1'],
      ['buyerIdNumber', f.buyer.idNumber],
      ['payCode', SANDBOX_PAYER.code],
      ['payName', SANDBOX_PAYER.name],
      ['payTransactionId', cut(f.payment.tradeNo, 60)],
      ['consignee', cut(f.consignee.name, 100)],
      ['consigneeTelephone', f.consignee.phone],
      ['consigneeAddress', cut(f.consignee.address, 200)],
    ],
    '      ',
  );
  const orderLists = f.lines
    .map((l, i) =>
      [
        '    <ceb:OrderList>',
        tags(
          [
            ['gnum', i + 1],
            ['itemNo', l.hsCode],
            ['itemName', cut(l.title, 250)],
            ['gmodel', cut(l.spec || l.title, 250)],
            ['unit', UNIT_PIECE],
            ['qty', l.quantity],
            ['price', yuan(l.unitPriceFen)],
            ['totalPrice', yuan(l.unitPriceFen * l.quantity)],
            ['currency', CNY],
            ['country', CUSTOMS_COUNTRY[l.country] ?? '000'],
          ],
          '      ',
        ),
        '    </ceb:OrderList>',
      ].join('\n'),
    )
    .join('\n');
  const order = envelope('CEB311', f.guids.order, `  <ceb:Order>\n    <ceb:OrderHead>\n${orderHead}\n    </ceb:OrderHead>\n${orderLists}\n  </ceb:Order>`);

  const paymentHead = tags(
    [
      ...head(f.guids.payment),
      ['payCode', SANDBOX_PAYER.code],
      ['payName', SANDBOX_PAYER.name],
      ['payTransactionId', cut(f.payment.tradeNo, 60)],
      ['orderNo', f.orderNo],
      ['ebpCode', PLATFORM.code],
      ['ebpName', PLATFORM.name],
      // The payer is the verified buyer (CROSSBORDER_PAYER_NOT_BUYER refuses anyone else).
      ['payerIdType', '1'],
      ['payerIdNumber', f.buyer.idNumber],
      ['payerName', cut(f.buyer.realName, 60)],
      ['telephone', f.buyer.telephone],
      ['amountPaid', yuan(f.totalFen)],
      ['currency', CNY],
      ['payTime', time14(f.payment.paidAt)],
    ],
    '      ',
  );
  const payment = envelope('CEB411', f.guids.payment, `  <ceb:Payment>\n    <ceb:PaymentHead>\n${paymentHead}\n    </ceb:PaymentHead>\n  </ceb:Payment>`);

  const pieces = f.lines.reduce((s, l) => s + l.quantity, 0);
  const waybillHead = tags(
    [
      ...head(f.guids.waybill),
      ['logisticsCode', f.waybill.placeholder ? 'PENDING' : cut(f.waybill.carrier, 18)],
      ['logisticsName', cut(f.waybill.carrier, 100)],
      ['logisticsNo', cut(f.waybill.trackingNo, 60)],
      ['freight', yuan(f.shippingFen)],
      ['insuredFee', '0.00'],
      ['currency', CNY],
      // Weight is not kept per SKU: 1 kg per piece is declared until it is (docs/CROSSBORDER.md).
      ['weight', pieces],
      ['packNo', 1],
      ['goodsInfo', cut(f.lines.map((l) => l.title).join(';'), 200)],
      ['consignee', cut(f.consignee.name, 100)],
      ['consigneeAddress', cut(f.consignee.address, 200)],
      ['consigneeTelephone', f.consignee.phone],
      ...(f.waybill.placeholder ? ([['note', '运单号待发货后更新 (placeholder until shipped)']] as [string, string][]) : []),
    ],
    '      ',
  );
  const waybill = envelope('CEB511', f.guids.waybill, `  <ceb:Logistics>\n    <ceb:LogisticsHead>\n${waybillHead}\n    </ceb:LogisticsHead>\n  </ceb:Logistics>`);
  return { CEB311: order, CEB411: payment, CEB511: waybill };
}

const XSD_DIR = path.join(import.meta.dirname, 'xsd');
const schemas = new Map<MessageType, string>();
function schemaOf(type: MessageType) {
  let s = schemas.get(type);
  if (!s) {
    s = readFileSync(path.join(XSD_DIR, `${type}Message.xsd`), 'utf8');
    schemas.set(type, s);
  }
  return s;
}

/** Validates one message against its XSD with libxml2 (xmllint compiled to WebAssembly). */
export async function validateMessage(type: MessageType, xml: string): Promise<{ valid: boolean; errors: string[] }> {
  const result = await validateXML({ xml: [{ fileName: `${type}.xml`, contents: xml }], schema: [{ fileName: `${type}Message.xsd`, contents: schemaOf(type) }] });
  return { valid: result.valid, errors: result.errors.map((e) => e.message) };
}
