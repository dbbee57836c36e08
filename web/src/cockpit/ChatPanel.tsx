// The live chat with one-tap moderation (delete, mute, ban), for the streamer and their assistants.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { path, post } from '../api';
import { FormError, FormSuccess } from '../shared/Field';
import { ChatList, ConsoleCard, roleLabel } from '../room/parts';
import type { Room } from '../room/useRoom';
import type { Chat } from '../room/types';
import { useAction } from '../shop/parts';

const MUTE_MINUTES = 10;

/** Moderation buttons only with the `moderate` right (docs/COCKPIT.md). */
export function ChatPanel({ sessionId, room, canModerate, onModerated }: { sessionId: string; room: Room; canModerate: boolean; onModerated: () => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const myId = room.you?.id ?? null;

  const remove = (c: Chat) =>
    void action.run(() => post(path`/api/rooms/${sessionId}/chat/${c.id}/delete`, {}), t('control.chat.deleted')).then((r) => r !== undefined && onModerated());
  const mute = (c: Chat) =>
    void action
      .run(() => post(path`/api/rooms/${sessionId}/mutes`, { userId: c.user.id, minutes: MUTE_MINUTES, kind: 'mute' }), t('control.chat.muted', { name: c.user.name, minutes: MUTE_MINUTES }))
      .then((r) => r !== undefined && onModerated());
  const ban = (c: Chat) => {
    if (!window.confirm(t('control.chat.confirmBan', { name: c.user.name }))) return;
    void action.run(() => post(path`/api/rooms/${sessionId}/mutes`, { userId: c.user.id, kind: 'ban' }), t('control.chat.banned', { name: c.user.name })).then((r) => r !== undefined && onModerated());
  };

  const send = async (e: FormEvent) => {
    e.preventDefault();
    const value = text.trim();
    if (!value) return;
    setSending(true);
    try {
      await room.sendChat(value);
      setText('');
    } catch {
      // shown below from room.lastError
    } finally {
      setSending(false);
    }
  };

  return (
    <ConsoleCard title={t('control.chat.title')} testId="console-chat">
      <ChatList
        chat={room.chat}
        myId={myId}
        thinned={room.thinned}
        className="console-chat-box"
        empty={room.connection === 'open' ? t('room.noChat') : room.connection === 'unavailable' ? t('room.unavailableChat') : t('room.connecting')}
        actions={(c) => {
          if (!canModerate) return null;
          const staff = !!roleLabel(t, c.user?.role) || c.user?.id === myId;
          return (
            <>
              <button type="button" className="link-button" data-testid="msg-delete" disabled={action.busy} onClick={() => remove(c)}>
                {t('control.chat.delete')}
              </button>
              {!staff ? (
                <>
                  <button type="button" className="link-button" data-testid="msg-mute" disabled={action.busy} onClick={() => mute(c)}>
                    {t('control.chat.mute', { minutes: MUTE_MINUTES })}
                  </button>
                  <button type="button" className="link-button link-danger" data-testid="msg-ban" disabled={action.busy} onClick={() => ban(c)}>
                    {t('control.chat.ban')}
                  </button>
                </>
              ) : null}
            </>
          );
        }}
      />
      <FormError error={action.error} />
      {action.done ? <FormSuccess>{action.done}</FormSuccess> : null}
      <form className="composer-form console-composer" onSubmit={(e) => void send(e)}>
        <input
          className="composer-input"
          data-testid="console-chat-input"
          value={text}
          maxLength={100}
          autoComplete="off"
          aria-label={t('control.chat.say')}
          placeholder={t('control.chat.say')}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" className="button button-small" data-testid="console-chat-send" disabled={sending || !text.trim() || room.connection !== 'open'}>
          {t('room.send')}
        </button>
      </form>
      {room.lastError ? (
        <p className="chat-error" role="alert" data-testid="chat-error" data-code={room.lastError.code}>
          {room.lastError.message}
        </p>
      ) : null}
    </ConsoleCard>
  );
}
