/** Query parameter that picks the CIN language of an HTTP request. */
export const LANGUAGE_QUERY_PARAMETER = 'lang';
/** Header that picks the CIN language of a gRPC (or gRPC-Web) call, which has no query. */
export const LANGUAGE_HEADER = 'x-crumpet-lang';
