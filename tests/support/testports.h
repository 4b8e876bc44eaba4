#pragma once

// Loopback ports for tests that must know a port before starting a hub.

#include <QtGlobal>

namespace opsdeck::testing {

// A port P such that P and P + 1 are both free on 127.0.0.1 right now (a dev/prod hub serves its
// sign-in endpoint on port + 1, which the console derives). 0 when none was found.
quint16 freePortPair();

} // namespace opsdeck::testing
