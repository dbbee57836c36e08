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
import type talent from './talent/locales/zh-CN.json';
import type commission from './commission/locales/zh-CN.json';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof zhCN & typeof cockpit & typeof discovery & typeof pictures & typeof immersive & typeof webhooks & typeof replays & typeof analytics & typeof bases & typeof training & typeof talent & typeof commission };
    returnNull: false;
  }
}
