export { layoutGraph, type GraphLayout, type LayoutEdge, type LayoutNode, type LayoutOptions, type LayoutRow, type LayoutSegment } from './lanes';
export { shortestUniqueIds, shortIdIn, MIN_SHORT_ID, type ShortIdInput } from './shortIds';
export { buildPicture, offendingEdges, type GraphPicture, type PictureRow } from './picture';
