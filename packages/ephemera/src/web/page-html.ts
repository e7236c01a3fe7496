export const PAGE_HTML = '<!doctype html><title>ephemera</title><p>ephemera: see /api/ephemera/</p>';
