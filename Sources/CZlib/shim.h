// zlib (Debian's zlib1g-dev) inflates gzip- and deflate-encoded request bodies: Sentry SDKs
// compress their envelopes by default.
#include <zlib.h>

// inflateInit2 is a macro, which Swift cannot call; this function can.
static inline int notifyd_inflate_init(z_stream *stream, int window_bits) {
    return inflateInit2(stream, window_bits);
}
