export interface Source {
  id: number;
  name: string;
  feedUrl: string;
  category: string;
}

export interface FeedItem {
  id: number;
  sourceId: number;
  sourceName: string;
  url: string;
  title: string;
  summary: string | null;
  author: string | null;
  publishedAt: string;
}
