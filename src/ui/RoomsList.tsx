// "Your rooms" on the start page: rooms this browser joined, what each holds, the storage it uses,
// and deleting a room's data or all data (each delete asks once more before it happens).
import { errorMessage } from '../core/errors';
import type { Report } from '../core/reports';
import { useCallback, useEffect, useState } from 'react';
import type { RoomLibrary, RoomSummary } from '../app/room-persistence';
import { formatBytes } from './format';

/** Props: where the rooms come from, and where errors go. */
export interface RoomsListProps {
  readonly library: RoomLibrary;
  readonly onError: (report: Report) => void;
}

/** A button that needs a second click to act (also used by Settings to delete everything). */
export function ConfirmButton({ label, confirmLabel, testId, onConfirm }: { label: string; confirmLabel: string; testId: string; onConfirm: () => void }) {
  const [armed, setArmed] = useState(false);
  return armed ? (
    <span className="confirm">
      <button type="button" className="button button--danger" data-testid={`${testId}-confirm`} onClick={onConfirm}>
        {confirmLabel}
      </button>
      <button type="button" className="button button--quiet" onClick={() => setArmed(false)}>
        Cancel
      </button>
    </span>
  ) : (
    <button type="button" className="button button--quiet" data-testid={testId} onClick={() => setArmed(true)}>
      {label}
    </button>
  );
}

const itemNames = (room: RoomSummary): string => {
  const names = room.items.map((item) => item.name);
  if (names.length === 0) return 'Nothing kept yet';
  return names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
};

/** The list, loaded when shown and after each delete. */
export function RoomsList({ library, onError }: RoomsListProps) {
  const [rooms, setRooms] = useState<readonly RoomSummary[] | null>(null);
  const reload = useCallback(() => {
    library.list().then(setRooms, (error: unknown) => onError({ code: 'rooms-read-failed', detail: errorMessage(error) }));
  }, [library, onError]);
  useEffect(reload, [reload]);
  const act = (work: Promise<void>, what: string) =>
    work.then(reload, (error: unknown) => onError({ code: 'room-delete-failed', what, detail: errorMessage(error) }));

  if (rooms === null || rooms.length === 0) return null;
  const total = rooms.reduce((sum, room) => sum + room.storedBytes, 0);
  return (
    <section className="rooms" data-testid="rooms">
      <div className="items__head">
        <h2>Your rooms</h2>
        <ConfirmButton label="Delete all data" confirmLabel={`Delete all ${formatBytes(total)}`} testId="delete-all" onConfirm={() => act(library.deleteAll(), 'your data')} />
      </div>
      <ul className="items__list">
        {rooms.map((room) => (
          <li key={room.roomId} className="item" data-testid="room" data-room-id={room.roomId} data-stored-bytes={room.storedBytes}>
            <div className="item__head">
              <a className="item__name" href={`#${room.secret}`} data-testid="room-open">
                {itemNames(room)}
              </a>
              <span className="item__size">{formatBytes(room.storedBytes)} kept</span>
            </div>
            <div className="item__foot">
              <span className="item__status">
                {room.items.length} {room.items.length === 1 ? 'item' : 'items'} · opened {new Date(room.openedMs).toLocaleString()}
              </span>
              <ConfirmButton label="Delete" confirmLabel="Delete this room's data" testId="room-delete" onConfirm={() => act(library.deleteRoom(room.roomId), 'the room')} />
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
