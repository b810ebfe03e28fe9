/** Zero-based line and UTF-16 column, the convention LSP uses; adapters convert where needed. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** Half-open span of UTF-16 offsets into a file's text. */
export interface Span {
  start: number;
  end: number;
}
