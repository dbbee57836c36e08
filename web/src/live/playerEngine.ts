// The live player's machinery, independent of React: picks a technology,
// attaches it to one <video> element, watches for errors and stalls, and
// recreates the player with backoff. mpegts.js and hls.js are loaded with
// dynamic import() so pages without video stay light.
import type MpegtsNs from 'mpegts.js';
import type HlsClass from 'hls.js';

type Mpegts = typeof MpegtsNs;
type Hls = typeof HlsClass;

/** flv = mpegts.js over MSE, hls = hls.js over MSE, native = the browser's own HLS (iOS Safari). */
export type Tech = 'flv' | 'hls' | 'native';
export type ForcedTech = 'flv' | 'hls' | null;

export type EnginePhase =
  /** First connection, no picture yet. */
  | 'connecting'
  | 'playing'
  /** Lost the stream (error or stall); retrying with backoff. */
  | 'reconnecting'
  /** No technology this browser has can play the sources given. */
  | 'unsupported';

export type EngineListener = {
  phase: (phase: EnginePhase, attempt: number) => void;
  tech: (tech: Tech | null) => void;
  needsTap: (needsTap: boolean) => void;
  /** Something went wrong with the stream: the owner should re-check the session (it may have ended). */
  trouble: (why: string) => void;
};

const BACKOFF_MS = [1000, 2000, 4000, 8000];
const STALL_MS = 4000;
/** The first picture after (re)connecting may take a little longer than a stall. */
const FIRST_FRAME_GRACE_MS = 4000;
const CATCH_UP_BEHIND_S = 3;
const FLV_FAILURES_BEFORE_HLS = 3;

let mpegtsModule: Promise<Mpegts> | null = null;
let hlsModule: Promise<Hls> | null = null;

export function loadMpegts(): Promise<Mpegts> {
  mpegtsModule ??= import('mpegts.js').then((m) => {
    const mpegts = (m.default ?? m) as Mpegts;
    try {
      mpegts.LoggingControl.applyConfig({ enableAll: false, enableError: true, enableWarn: false, enableInfo: false, enableDebug: false, enableVerbose: false });
    } catch {
      // logging control is cosmetic
    }
    return mpegts;
  });
  mpegtsModule.catch(() => {
    mpegtsModule = null; // a failed chunk download may succeed next time
  });
  return mpegtsModule;
}

export function loadHls(): Promise<Hls> {
  hlsModule ??= import('hls.js/light').then((m) => (m.default ?? m) as Hls);
  hlsModule.catch(() => {
    hlsModule = null;
  });
  return hlsModule;
}

export function canPlayNativeHls(video: HTMLVideoElement): boolean {
  return video.canPlayType('application/vnd.apple.mpegurl') !== '';
}

function absolute(url: string): string {
  try {
    return new URL(url, window.location.href).toString();
  } catch {
    return url;
  }
}

export class LiveEngine {
  private disposed = false;
  private tech: Tech | null = null;
  private teardown: (() => void) | null = null;
  /** Bumped on every attach and teardown: callbacks of an old player are ignored. */
  private generation = 0;
  private failures = 0;
  private flvFailures = 0;
  private fellBackToHls = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private watchdog: ReturnType<typeof setInterval> | null = null;
  private lastTime = Number.NaN;
  private lastProgressAt = 0;
  private playing = false;
  private tapNeeded = false;
  private phase: EnginePhase = 'connecting';

  constructor(
    private readonly video: HTMLVideoElement,
    private readonly sources: { flv: string | null; hls: string | null },
    private readonly forced: ForcedTech,
    private readonly on: EngineListener,
  ) {}

  start(): void {
    this.video.addEventListener('timeupdate', this.onTimeUpdate);
    this.video.addEventListener('playing', this.onPlaying);
    this.watchdog = setInterval(this.tick, 1000);
    this.setPhase('connecting');
    void this.connect();
  }

  destroy(): void {
    this.disposed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.watchdog) clearInterval(this.watchdog);
    this.video.removeEventListener('timeupdate', this.onTimeUpdate);
    this.video.removeEventListener('playing', this.onPlaying);
    this.detach();
  }

  /** After the browser refused autoplay: the user tapped. */
  resume(): void {
    this.tapNeeded = false;
    this.on.needsTap(false);
    this.play();
  }

  private setPhase(phase: EnginePhase) {
    this.phase = phase;
    this.on.phase(phase, this.failures);
  }

  private async pick(): Promise<Tech | null> {
    const { flv, hls } = this.sources;
    const native = !!hls && canPlayNativeHls(this.video);
    if (this.forced === 'flv') return flv && (await loadMpegts()).isSupported() ? 'flv' : null;
    if (this.forced === 'hls') {
      if (!hls) return null;
      if ((await loadHls()).isSupported()) return 'hls';
      return native ? 'native' : null;
    }
    if (flv && !this.fellBackToHls && (await loadMpegts()).isSupported()) return 'flv';
    if (native) return 'native';
    if (hls && (await loadHls()).isSupported()) return 'hls';
    return null;
  }

  private async connect() {
    if (this.disposed) return;
    let tech: Tech | null;
    try {
      tech = await this.pick();
    } catch {
      // The player code itself did not download: try again like any other failure.
      if (!this.disposed) this.fail('player code unavailable');
      return;
    }
    if (this.disposed) return;
    if (tech === null) {
      this.tech = null;
      this.on.tech(null);
      this.setPhase('unsupported');
      return;
    }
    if (tech !== this.tech) {
      this.tech = tech;
      this.on.tech(tech);
    }
    try {
      await this.attach(tech);
    } catch {
      if (!this.disposed) this.fail('player could not start');
    }
  }

  private async attach(tech: Tech) {
    const video = this.video;
    const gen = ++this.generation;
    const fail = (why: string) => {
      if (gen === this.generation && !this.disposed) this.fail(why);
    };
    this.lastTime = Number.NaN;
    this.lastProgressAt = Date.now() + FIRST_FRAME_GRACE_MS;

    if (tech === 'flv') {
      const mpegts = await loadMpegts();
      if (gen !== this.generation || this.disposed) return;
      const player = mpegts.createPlayer(
        { type: 'flv', isLive: true, url: absolute(this.sources.flv!) },
        {
          enableStashBuffer: false,
          stashInitialSize: 128,
          liveBufferLatencyChasing: true,
          liveBufferLatencyMaxLatency: 0.9,
          liveBufferLatencyMinRemain: 0.2,
          lazyLoad: false,
          autoCleanupSourceBuffer: true,
        },
      );
      player.on(mpegts.Events.ERROR, (type: string, detail: string) => fail(`flv ${type} ${detail}`));
      // The server closes the connection when the publisher leaves or the live ends.
      player.on(mpegts.Events.LOADING_COMPLETE, () => fail('flv stream closed'));
      player.attachMediaElement(video);
      player.load();
      this.teardown = () => {
        try {
          player.pause();
          player.unload();
          player.detachMediaElement();
        } catch {
          // already torn down
        }
        player.destroy();
      };
      this.play();
      return;
    }

    if (tech === 'hls') {
      const Hls = await loadHls();
      if (gen !== this.generation || this.disposed) return;
      const hls = new Hls({
        lowLatencyMode: true,
        liveSyncDurationCount: 1,
        liveMaxLatencyDurationCount: 3,
        maxLiveSyncPlaybackRate: 1.5,
        backBufferLength: 10,
      });
      hls.on(Hls.Events.ERROR, (_event, data) => {
        if (data.fatal) fail(`hls ${data.type} ${data.details}`);
      });
      hls.on(Hls.Events.MANIFEST_PARSED, () => this.play());
      hls.loadSource(absolute(this.sources.hls!));
      hls.attachMedia(video);
      this.teardown = () => hls.destroy();
      return;
    }

    const onError = () => fail('native video error');
    video.addEventListener('error', onError);
    video.src = absolute(this.sources.hls!);
    this.teardown = () => {
      video.removeEventListener('error', onError);
      video.removeAttribute('src');
      video.load();
    };
    this.play();
  }

  private detach() {
    this.generation++;
    const teardown = this.teardown;
    this.teardown = null;
    try {
      teardown?.();
    } catch {
      // a broken player is being thrown away anyway
    }
  }

  private fail(why: string) {
    if (this.disposed) return;
    this.detach();
    this.playing = false;
    this.failures++;
    if (this.tech === 'flv') {
      this.flvFailures++;
      if (this.flvFailures >= FLV_FAILURES_BEFORE_HLS && this.sources.hls && this.forced !== 'flv') this.fellBackToHls = true;
    }
    const delay = BACKOFF_MS[Math.min(this.failures, BACKOFF_MS.length) - 1]!;
    this.setPhase('reconnecting');
    this.on.trouble(why);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, delay);
  }

  private play() {
    const attempt = this.video.play();
    attempt?.catch((e: unknown) => {
      if (this.disposed) return;
      if (e instanceof DOMException && e.name === 'NotAllowedError') {
        this.tapNeeded = true;
        this.on.needsTap(true);
      }
      // AbortError: a newer load() interrupted this play(); nothing to do.
    });
  }

  private progressed() {
    this.lastProgressAt = Date.now();
    if (this.tapNeeded) {
      this.tapNeeded = false;
      this.on.needsTap(false);
    }
    if (!this.playing || this.phase !== 'playing') {
      this.playing = true;
      this.failures = 0;
      if (this.tech === 'flv') this.flvFailures = 0;
      this.setPhase('playing');
    }
  }

  private onPlaying = () => {
    if (this.tapNeeded) {
      this.tapNeeded = false;
      this.on.needsTap(false);
    }
  };

  private onTimeUpdate = () => {
    const t = this.video.currentTime;
    if (this.video.seeking) return;
    if (Number.isNaN(this.lastTime)) {
      this.lastTime = t;
      return;
    }
    if (t > this.lastTime) this.progressed();
    this.lastTime = t;
  };

  private tick = () => {
    if (this.disposed || this.retryTimer || !this.teardown) return;
    const v = this.video;
    if (v.ended) {
      this.fail('playback ended');
      return;
    }
    // Refused autoplay, or paused on purpose (picture-in-picture, media keys): not a stall.
    if (this.tapNeeded || (v.paused && this.playing)) {
      this.lastProgressAt = Date.now();
      return;
    }
    if (Date.now() - this.lastProgressAt > STALL_MS) {
      this.fail('stalled');
      return;
    }
    // mpegts.js chases latency itself; for HLS, jump back to the live edge when far behind.
    if (this.tech !== 'flv' && v.buffered.length) {
      const end = v.buffered.end(v.buffered.length - 1);
      if (end - v.currentTime > CATCH_UP_BEHIND_S) v.currentTime = end - 1;
    }
  };
}
