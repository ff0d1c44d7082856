#include <zlib.h>

// deflateInit2 and inflateInit2 are macros, which Swift cannot call.
static inline int czlib_deflate_init(z_streamp stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, 15, 8, Z_DEFAULT_STRATEGY);
}

static inline int czlib_inflate_init(z_streamp stream) {
    return inflateInit2(stream, 15);
}
