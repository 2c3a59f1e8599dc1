#ifndef ATRIUM_CLIBPQ_SHIM_H
#define ATRIUM_CLIBPQ_SHIM_H

// PostgreSQL's client library (Debian libpq-dev; pkg-config libpq puts
// /usr/include/postgresql on the include path). Only its asynchronous API is used:
// AtriumPostgres never calls a libpq function that waits on the network.
#include <libpq-fe.h>

#endif
