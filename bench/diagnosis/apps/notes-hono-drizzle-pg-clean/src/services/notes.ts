import { asc, desc, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { attachments, notes, type Attachment, type Note } from '../db/schema';

export interface NoteWithAttachments extends Note {
  attachments: Attachment[];
}

export function createNotesService(db: Db) {
  return {
    async getNote(id: number): Promise<NoteWithAttachments | null> {
      const [note] = await db.select().from(notes).where(eq(notes.id, id)).limit(1);
      if (!note) return null;
      const files = await db
        .select()
        .from(attachments)
        .where(eq(attachments.noteId, id))
        .orderBy(asc(attachments.createdAt), asc(attachments.id));
      return { ...note, attachments: files };
    },

    async listNotebookNotes(notebookId: number, limit: number): Promise<Note[]> {
      return db
        .select()
        .from(notes)
        .where(eq(notes.notebookId, notebookId))
        .orderBy(desc(notes.updatedAt))
        .limit(limit);
    },

    async updateNote(id: number, patch: { title?: string; body?: string }): Promise<Note | null> {
      const [updated] = await db
        .update(notes)
        .set({ ...patch, updatedAt: new Date() })
        .where(eq(notes.id, id))
        .returning();
      return updated ?? null;
    },
  };
}

export type NotesService = ReturnType<typeof createNotesService>;
