import { useState } from 'react';

/** Which record a create/edit modal is open for: a new one, an existing one, or none (closed). */
export function useEditing<T>() {
  const [editing, setEditing] = useState<T | 'new' | null>(null);
  return {
    open: editing !== null,
    isNew: editing === 'new',
    /** The record being edited; null when creating or closed. */
    record: editing === 'new' ? null : editing,
    create: () => setEditing('new'),
    edit: (record: T) => setEditing(record),
    close: () => setEditing(null),
  };
}
