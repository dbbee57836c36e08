import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import zhCN from './locales/zh-CN.json';
import en from './locales/en.json';
import cockpitZh from './cockpit/locales/zh-CN.json';
import cockpitEn from './cockpit/locales/en.json';
import discoveryZh from './discovery/locales/zh-CN.json';
import discoveryEn from './discovery/locales/en.json';
import picturesZh from './pictures/locales/zh-CN.json';
import picturesEn from './pictures/locales/en.json';
import immersiveZh from './room/locales/zh-CN.json';
import immersiveEn from './room/locales/en.json';
import webhooksZh from './webhooks/locales/zh-CN.json';
import webhooksEn from './webhooks/locales/en.json';
import analyticsZh from './analytics/locales/zh-CN.json';
import analyticsEn from './analytics/locales/en.json';
import replaysZh from './replays/locales/zh-CN.json';
import replaysEn from './replays/locales/en.json';
import basesZh from './bases/locales/zh-CN.json';
import basesEn from './bases/locales/en.json';
import trainingZh from './training/locales/zh-CN.json';
import trainingEn from './training/locales/en.json';
import b2bZh from './b2b/locales/zh-CN.json';
import b2bEn from './b2b/locales/en.json';
import originZh from './origin/locales/zh-CN.json';
import originEn from './origin/locales/en.json';
import exhibitionsZh from './exhibitions/locales/zh-CN.json';
import exhibitionsEn from './exhibitions/locales/en.json';
import campaignsZh from './campaigns/locales/zh-CN.json';
import campaignsEn from './campaigns/locales/en.json';
import auctionsZh from './auctions/locales/zh-CN.json';
import auctionsEn from './auctions/locales/en.json';
import vouchersZh from './vouchers/locales/zh-CN.json';
import vouchersEn from './vouchers/locales/en.json';
import crossborderZh from './crossborder/locales/zh-CN.json';
import crossborderEn from './crossborder/locales/en.json';
import talentZh from './talent/locales/zh-CN.json';
import talentEn from './talent/locales/en.json';
import commissionZh from './commission/locales/zh-CN.json';
import commissionEn from './commission/locales/en.json';
import notificationsZh from './notifications/locales/zh-CN.json';
import notificationsEn from './notifications/locales/en.json';
import launchesZh from './launches/locales/zh-CN.json';
import launchesEn from './launches/locales/en.json';
import presaleZh from './presale/locales/zh-CN.json';
import presaleEn from './presale/locales/en.json';
import streamersZh from './streamers/locales/zh-CN.json';
import streamersEn from './streamers/locales/en.json';
import type { Locale } from './types';

export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];
export const DEFAULT_LOCALE: Locale = 'zh-CN';
const STORAGE_KEY = 'zhibo.locale';

export function isLocale(v: unknown): v is Locale {
  return v === 'zh-CN' || v === 'en';
}

export function storedLocale(): Locale {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    if (isLocale(v)) return v;
  } catch {
    // storage unavailable (private mode): fall through to the default
  }
  return DEFAULT_LOCALE;
}

export function currentLocale(): Locale {
  const l = i18n.resolvedLanguage ?? i18n.language;
  return isLocale(l) ? l : DEFAULT_LOCALE;
}

/** Switch the UI language and remember it on this device. */
export async function applyLocale(locale: Locale): Promise<void> {
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // ignore
  }
  if (currentLocale() !== locale || i18n.language !== locale) await i18n.changeLanguage(locale);
}

function syncDocument(lng: string): void {
  if (typeof document === 'undefined') return;
  document.documentElement.lang = isLocale(lng) ? lng : DEFAULT_LOCALE;
  document.title = i18n.t('app.name');
}

i18n.on('languageChanged', syncDocument);

void i18n.use(initReactI18next).init({
  // Each domain keeps its strings beside its code under its own top-level key (discovery.*, cockpit.*…).
  resources: {
    'zh-CN': { translation: { ...zhCN, ...cockpitZh, ...discoveryZh, ...picturesZh, ...immersiveZh, ...webhooksZh, ...replaysZh, ...analyticsZh, ...basesZh, ...trainingZh, ...b2bZh, ...originZh, ...exhibitionsZh, ...campaignsZh, ...auctionsZh, ...vouchersZh, ...crossborderZh, ...talentZh, ...commissionZh, ...presaleZh, ...notificationsZh, ...launchesZh, ...streamersZh } },
    en: { translation: { ...en, ...cockpitEn, ...discoveryEn, ...picturesEn, ...immersiveEn, ...webhooksEn, ...replaysEn, ...analyticsEn, ...basesEn, ...trainingEn, ...b2bEn, ...originEn, ...exhibitionsEn, ...campaignsEn, ...auctionsEn, ...vouchersEn, ...crossborderEn, ...talentEn, ...commissionEn, ...presaleEn, ...notificationsEn, ...launchesEn, ...streamersEn } },
  },
  lng: storedLocale(),
  fallbackLng: DEFAULT_LOCALE,
  supportedLngs: LOCALES as Locale[],
  load: 'currentOnly',
  initAsync: false,
  returnNull: false,
  interpolation: { escapeValue: false }, // React escapes
  react: { useSuspense: false },
});
syncDocument(i18n.language);

export default i18n;
