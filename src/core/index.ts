/** The public API of the pure core: the method's steps as small functions, plus its types and errors. */
export * from './types';
export * from './errors';
export * from './csv';
export * from './resample';
export * from './features';
export * from './groups';
export * from './scaling';
export * from './windows';
export * from './score';
export * from './attribution';
export * from './radiography';
