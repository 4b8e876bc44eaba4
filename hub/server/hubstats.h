#pragma once

// Counters behind the `stats` query (and later /metrics).

#include <QHash>
#include <QString>

namespace opsdeck::hub {

struct HubStats
{
    qint64 messagesIn = 0;
    qint64 messagesOut = 0;
    qint64 bytesOut = 0;
    qint64 connectionsAccepted = 0;
    qint64 backlogPauses = 0; // times a connection's unsent bytes crossed the high-water mark
    QHash<QString, qint64> errorsByCode;
    QHash<int, qint64> closesByCode;
    // messages_per_s_out, sampled once a second by the server.
    double messagesPerSecondOut = 0;
    qint64 lastSampleMessagesOut = 0;
};

} // namespace opsdeck::hub
