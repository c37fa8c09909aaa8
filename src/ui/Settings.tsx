// Settings, on the start page and in a room: the name shown to the others, being told when a download
// finishes in a background tab, where the transfer settings are, and deleting everything this browser
// keeps (through the room library, as "Your rooms" does).
import { useCallback, useEffect, useId, useState } from 'react';
import type { DisplayNames } from '../app/display-names';
import type { NotifySetting } from '../app/keep-alive-browser';
import { dataClearedText, settingsText } from '../app/messages';
import type { RoomLibrary } from '../app/room-persistence';
import { errorMessage } from '../core/errors';
import type { Report } from '../core/reports';
import { formatBytes } from './format';
import { useStore } from './hooks';
import { ConfirmButton } from './RoomsList';
import { askClearOnStart, takeClearOnStart } from './saved-settings';
import './settings.css';

/** Props: the names, the notification setting, the room library, and whether this page is in a room. */
export interface SettingsProps {
  readonly names: DisplayNames;
  readonly notify: NotifySetting;
  readonly library: RoomLibrary;
  readonly inRoom: boolean;
  /** Everything kept was deleted: lists of rooms should be read again. */
  readonly onCleared: () => void;
  readonly onError: (report: Report) => void;
}

/** The name shown to the room, applied (cleaned, cut, announced) when the field loses focus or on Enter. */
function DisplayNameField({ names }: { names: DisplayNames }) {
  const { mine } = useStore(names);
  const [text, setText] = useState(mine ?? '');
  const id = useId();
  const apply = () => setText(names.setMine(text) ?? '');
  return (
    <div className="settings__field">
      <label htmlFor={`${id}-name`}>Your name</label>
      <input
        id={`${id}-name`}
        data-testid="display-name"
        className="settings__name"
        type="text"
        autoComplete="nickname"
        placeholder="No name"
        aria-describedby={`${id}-hint`}
        value={text}
        onChange={(event) => setText(event.currentTarget.value)}
        onBlur={apply}
        onKeyDown={(event) => {
          if (event.key === 'Enter') apply();
        }}
      />
      <p id={`${id}-hint`} className="settings__hint">
        {settingsText.nameHint}
      </p>
    </div>
  );
}

/** "Notify me when downloads finish": the browser's permission is asked from this click, never on load. */
function NotifyToggle({ notify }: { notify: NotifySetting }) {
  const [on, setOn] = useState(() => notify.isOn());
  const [blocked, setBlocked] = useState(false);
  if (!notify.supported) return <p className="settings__hint">{settingsText.notifyUnsupported}</p>;
  const change = (wanted: boolean) => {
    setBlocked(false);
    if (!wanted) {
      notify.turnOff();
      return setOn(false);
    }
    notify.turnOn().then(
      (permission) => {
        setOn(permission === 'granted');
        setBlocked(permission === 'denied');
      },
      () => setBlocked(true),
    );
  };
  return (
    <div className="settings__field">
      <label className="toggle">
        <input type="checkbox" data-testid="notify-downloads" checked={on} onChange={(event) => change(event.currentTarget.checked)} />
        Notify me when downloads finish
      </label>
      {blocked && (
        <p className="settings__hint settings__hint--warn" role="status">
          {settingsText.notifyBlocked}
        </p>
      )}
    </div>
  );
}

/** Where the upload limit and auto-download are: above the files, in a room (their selectors stay there). */
function TransferSettings({ inRoom }: { inRoom: boolean }) {
  if (!inRoom) return <p className="settings__hint">{settingsText.transfersOutsideRoom}</p>;
  const show = () => document.querySelector<HTMLElement>('[data-testid=upload-limit]')?.focus();
  return (
    <p className="settings__hint">
      {settingsText.transfersInRoom}{' '}
      <button type="button" className="button button--quiet" data-testid="show-transfer-settings" onClick={show}>
        Go to them
      </button>
    </p>
  );
}

/** What a delete freed. */
interface Freed {
  readonly rooms: number;
  readonly bytes: number;
}

/**
 * Deletes every room and stored file of this browser after a second click, and says what it freed.
 * In a room, the tab first goes to the start page (leaving the room), which then deletes.
 */
function ClearData({ library, inRoom, onCleared, onError, onFreed }: Pick<SettingsProps, 'library' | 'inRoom' | 'onCleared' | 'onError'> & { onFreed: () => void }) {
  const [freed, setFreed] = useState<Freed | null>(null);
  const clear = useCallback(() => {
    const work = async (): Promise<Freed> => {
      const rooms = await library.list();
      await library.deleteAll();
      return { rooms: rooms.length, bytes: rooms.reduce((sum, room) => sum + room.storedBytes, 0) };
    };
    work().then(
      (result) => {
        setFreed(result);
        onFreed();
        onCleared();
      },
      (error: unknown) => onError({ code: 'room-delete-failed', what: 'your data', detail: errorMessage(error) }),
    );
  }, [library, onCleared, onError, onFreed]);
  useEffect(() => {
    if (inRoom || !takeClearOnStart(sessionStorage, location.search)) return;
    history.replaceState(history.state, '', location.pathname); // the token is used up: a reload must not delete again
    clear();
  }, [inRoom, clear]);
  const leaveAndClear = () => location.assign(`${location.origin}${location.pathname}${askClearOnStart(sessionStorage, crypto.randomUUID())}`);
  return (
    <div className="settings__field">
      <ConfirmButton
        label="Delete all data in this browser"
        confirmLabel={inRoom ? 'Leave the room and delete everything' : 'Delete every room and stored file'}
        testId="clear-data"
        onConfirm={inRoom ? leaveAndClear : clear}
      />
      {inRoom && <p className="settings__hint">{settingsText.clearInRoom}</p>}
      {freed && (
        <p className="settings__done" role="status" data-testid="data-cleared" data-rooms={freed.rooms} data-freed-bytes={freed.bytes}>
          {dataClearedText(freed.rooms, formatBytes(freed.bytes))}
        </p>
      )}
    </div>
  );
}

/** The panel: a disclosure, closed until asked for (open when it has just deleted, to say what it freed). */
export function Settings(props: SettingsProps) {
  const [open, setOpen] = useState(false);
  const showFreed = useCallback(() => setOpen(true), []);
  return (
    <details className="settings" data-testid="settings" open={open} onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>Settings</summary>
      <div className="settings__body">
        <DisplayNameField names={props.names} />
        <NotifyToggle notify={props.notify} />
        <TransferSettings inRoom={props.inRoom} />
        <ClearData library={props.library} inRoom={props.inRoom} onCleared={props.onCleared} onError={props.onError} onFreed={showFreed} />
      </div>
    </details>
  );
}
