import type net from 'node:net';
import { BaseSession, type NmsBroadcast, type NmsSession } from './nms.ts';

/** Above this many unsent bytes a viewer is not keeping up; it is dropped and its player reconnects. */
const MAX_BACKLOG_BYTES = 4 * 1024 * 1024;
/** Audio waits at most this long for the next video frame before it is sent on its own. */
const AUDIO_HOLD_MS = 40;
const FLV_TAG_VIDEO = 9;

/**
 * One per broadcast: the only node-media-server subscriber for HTTP-FLV, which fans each batch of
 * FLV tags out to every viewer's socket with one write. Tags are sent as soon as a video frame
 * arrives (audio rides along with it), so video gains no delay while the number of writes per
 * viewer drops about threefold. A joining viewer gets the codec headers and the current GOP from
 * the broadcast first.
 */
export class FlvFanout {
  readonly viewers = new Set<net.Socket>();
  private readonly hub: NmsSession;
  private pending: Buffer[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly broadcast: NmsBroadcast) {
    this.hub = new BaseSession();
    this.hub.protocol = 'flv';
    this.hub.ip = 'fanout';
    this.hub.streamPath = broadcast.streamPath;
    this.hub.sendBuffer = (tag: Buffer) => this.push(tag);
    this.hub.close = () => this.closeAll();
    broadcast.postPlay(this.hub);
  }

  /** Starts a viewer: the HTTP response head, the stream's headers and GOP, then the live tags. */
  join(socket: net.Socket, head: string) {
    this.flush();
    socket.write(head);
    const starter = new BaseSession();
    starter.protocol = 'flv';
    starter.ip = '';
    starter.sendBuffer = (buffer: Buffer) => void socket.write(buffer);
    this.broadcast.postPlay(starter);
    this.broadcast.subscribers.delete(starter.id);
    this.viewers.add(socket);
    socket.on('close', () => this.viewers.delete(socket));
  }

  closeAll() {
    this.flush();
    for (const socket of this.viewers) socket.end();
    this.viewers.clear();
    this.broadcast.subscribers.delete(this.hub.id);
  }

  private push(tag: Buffer) {
    this.pending.push(tag);
    if (tag[0] === FLV_TAG_VIDEO) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), AUDIO_HOLD_MS);
  }

  private flush() {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (!this.pending.length) return;
    const data = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    this.pending = [];
    for (const socket of this.viewers) {
      if (socket.writableLength > MAX_BACKLOG_BYTES) socket.destroy();
      else socket.write(data);
    }
  }
}
