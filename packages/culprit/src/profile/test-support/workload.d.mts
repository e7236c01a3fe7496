/** Types of workload.mjs (kept plain JavaScript so V8's positions equal the file's). */
export declare class Row {
  constructor(id: number);
  get label(): string;
}
export declare class Plain {
  value: number;
}
export declare function fib(n: number): number;
export declare function request(): number;
export declare function asyncRequest(): Promise<number>;
