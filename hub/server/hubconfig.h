#pragma once

// Everything a hub is configured with; the CLI fills it from flags (docs/protocol.md §10), the
// desktop app fills it for the embedded hub.

#include "authenticator.h"
#include "protocol.h"
#include "topic.h"

#include <QHostAddress>
#include <QStringList>

#include <memory>

namespace opsdeck::hub {

struct HubConfig
{
    protocol::Mode mode = protocol::Mode::Demo;
    QHostAddress address = QHostAddress::LocalHost; // loopback unless told otherwise
    quint16 port = 0;                               // 0: any free port
    QByteArray secret;                              // empty: no per-launch secret required
    QStringList allowedOrigins;                     // browser Origins that may connect; empty: none
    // Bearer tokens of operators (dev/prod endpoints) and agents (/api/v1/ws/agent). Null: the hub
    // accepts no tokens (demo mode, the embedded hub).
    std::shared_ptr<const Authenticator> authenticator;
    // A second connection of the same operator (dev/prod, seed 002): it replaces the older one
    // (closed 4409), is refused with 4409, or both stay.
    enum class SessionPolicy { Replace, Reject, Multiple };
    SessionPolicy sessionPolicy = SessionPolicy::Replace;
    // TLS (wss://): PEM certificate (chain) and private key files; both empty: plain ws://. A prod
    // hub on a non-loopback address refuses to listen without them.
    QString tlsCertificateFile;
    QString tlsKeyFile;

    int maxConnections = 1000;
    int maxConnectionsPerIp = 200;
    int rateLimit = 600;          // messages per window per connection
    int rateWindowSeconds = 60;
    int batchMaxEntries = 100;
    int batchIntervalMs = 100;
    int pingIntervalMs = 30000;
    int pingTimeoutMs = 60000;
    int handshakeTimeoutMs = 10000;
    int garbageLimit = 20;        // protocol errors per garbage window before 1008
    int garbageWindowSeconds = 60;
    qint64 backlogHighBytes = 4 * 1024 * 1024; // stop pushing above this many unsent bytes
    qint64 backlogLowBytes = 1024 * 1024;      // resume pushing below this
    int commandMemoryMinutes = 10;
    TopicSet::Capacities retention;
    // History store (hub/storage, docs/operations.md): an SQLite file that keeps every entry, so
    // a restarted hub continues its epochs and replays what clients missed. Empty: memory only.
    QString historyDb;
    qint64 historyMaxEntries = 1000000;               // stored entries per topic
    qint64 historyMaxAgeMs = qint64(7) * 24 * 3600000; // 0: no age limit
    QString hubName = QStringLiteral("opsdeck-hub");

    // Terminals (docs/protocol.md §11). Served only when enabled, to a client that may command,
    // and either bound to loopback with a secret (every client presented it) or, in dev/prod, to
    // an authenticated operator over TLS or loopback; otherwise FORBIDDEN.
    bool terminalsEnabled = false;
    QString terminalShell;                             // empty: $SHELL, else /bin/sh
    bool terminalLoginShell = true;
    bool terminalAllowClientShell = false;             // honour terminal_open's shell and cwd
    int terminalGraceMs = 5 * 60 * 1000;               // a detached terminal lives this long
    int terminalIdleMs = 60 * 60 * 1000;               // no input and no output: hang up
    qint64 terminalScrollbackBytes = 1024 * 1024;      // replayed on attach
    int terminalMaxPerClient = 10;
    int terminalMaxPerHub = 64;
    int terminalRateLimit = 200;                       // input/resize/ack per second per connection
    qint64 terminalMaxPendingInputBytes = 1024 * 1024; // typed ahead of what the program reads
};

} // namespace opsdeck::hub
