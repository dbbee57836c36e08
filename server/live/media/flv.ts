import type { ServerResponse } from 'node:http';
import { BaseSession, type NmsBroadcast, type NmsSession } from './nms.ts';

/** Above this many unsent bytes a viewer is not keeping up; it is dropped and its player reconnects. */
const MAX_BACKLOG_BYTES = 4 * 1024 * 1024;

/**
 * An HTTP-FLV viewer on a broadcast: receives the FLV header, the codec headers and the current
 * GOP on joining, then every packet as it arrives.
 */
export function subscribeFlv(broadcast: NmsBroadcast, res: ServerResponse, ip: string): NmsSession {
  const viewer = new BaseSession();
  viewer.protocol = 'flv';
  viewer.ip = ip;
  viewer.streamPath = broadcast.streamPath;
  viewer.sendBuffer = (buffer: Buffer) => {
    if (res.writableEnded || res.destroyed) return;
    if (res.writableLength > MAX_BACKLOG_BYTES) {
      res.destroy();
      return;
    }
    res.write(buffer);
    viewer.outBytes += buffer.length;
  };
  viewer.close = () => {
    if (!res.writableEnded) res.end();
  };
  res.on('close', () => broadcast.donePlay(viewer));
  broadcast.postPlay(viewer);
  return viewer;
}
