import 'i18next';
import type zhCN from './locales/zh-CN.json';
import type cockpit from './cockpit/locales/zh-CN.json';
import type discovery from './discovery/locales/zh-CN.json';
import type pictures from './pictures/locales/zh-CN.json';
import type immersive from './room/locales/zh-CN.json';
import type webhooks from './webhooks/locales/zh-CN.json';
import type replays from './replays/locales/zh-CN.json';
import type analytics from './analytics/locales/zh-CN.json';
import type bases from './bases/locales/zh-CN.json';
import type training from './training/locales/zh-CN.json';
import type b2b from './b2b/locales/zh-CN.json';
import type origin from './origin/locales/zh-CN.json';
import type exhibitions from './exhibitions/locales/zh-CN.json';
import type campaigns from './campaigns/locales/zh-CN.json';
import type auctions from './auctions/locales/zh-CN.json';
import type vouchers from './vouchers/locales/zh-CN.json';
import type crossborder from './crossborder/locales/zh-CN.json';
import type talent from './talent/locales/zh-CN.json';
import type commission from './commission/locales/zh-CN.json';
import type presale from './presale/locales/zh-CN.json';
import type notifications from './notifications/locales/zh-CN.json';
import type launches from './launches/locales/zh-CN.json';
import type streamers from './streamers/locales/zh-CN.json';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof zhCN & typeof cockpit & typeof discovery & typeof pictures & typeof immersive & typeof webhooks & typeof replays & typeof analytics & typeof bases & typeof training & typeof b2b & typeof origin & typeof exhibitions & typeof campaigns & typeof auctions & typeof vouchers & typeof crossborder & typeof talent & typeof commission & typeof presale & typeof notifications & typeof launches & typeof streamers };
    returnNull: false;
  }
}
