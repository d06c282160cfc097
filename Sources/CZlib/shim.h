// zlib (Debian's zlib1g-dev) inflates gzip- and deflate-encoded request bodies: Sentry SDKs
// compress their envelopes by default.
#include <zlib.h>

// inflateInit2 is a macro, which Swift cannot call; this function can.
static inline int notifyd_inflate_init(z_stream *stream, int window_bits) {
    return inflateInit2(stream, window_bits);
}

// deflateInit2 is a macro as well; `notifyd bench envelopes` gzips its bodies as the SDKs do.
static inline int notifyd_deflate_init(z_stream *stream, int level, int window_bits) {
    return deflateInit2(stream, level, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY);
}
