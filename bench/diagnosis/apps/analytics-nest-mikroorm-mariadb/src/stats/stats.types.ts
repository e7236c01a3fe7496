export interface ViewRow {
  path: string;
  visitorId: string;
  durationMs: number;
}

export interface PageRef {
  id: number;
  path: string;
  title: string;
  section: string;
}

export interface PageStats {
  pageId: number;
  path: string;
  title: string;
  section: string;
  views: number;
  uniqueVisitors: number;
  avgDurationMs: number;
}
