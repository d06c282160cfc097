// jemalloc replaces the C library's malloc for the whole notifyd process (see Package.swift).
#include <jemalloc/jemalloc.h>
