import { v7 as uuidv7 } from 'uuid';

/** Time-ordered ids (UUIDv7): unique across nodes, and index-friendly on both databases. */
export function newId(): string {
  return uuidv7();
}
