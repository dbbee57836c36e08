/** Carriers offered as suggestions (any name may be typed). */
export const CARRIERS: readonly string[] = ['顺丰速运', '中通快递', '圆通速递', '韵达快递', '申通快递', '京东物流', 'EMS'];

/** A tracking number as the API accepts it: 6–40 letters, digits or hyphens. */
export const TRACKING_RE = /^[A-Za-z0-9-]{6,40}$/;
