#ifndef REUNITE_CPREFETCH_H
#define REUNITE_CPREFETCH_H

/// Asks the processor to bring the memory at `address` into its caches ahead of use. Swift has
/// no way to say this; the candidate index's scoring loop waits on memory more than it computes.
static inline void reunite_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }

#endif
