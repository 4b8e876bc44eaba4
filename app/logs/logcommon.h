#pragma once

// What the Logs pane adds to the parser's value types (hub/logparse/logtypes.h): its logging
// category and the facts of a gap row. Kept here because the hub's parser library has no gaps
// and must not log under the app's category.

#include "logtypes.h"

#include <QLoggingCategory>
#include <QString>
#include <cstdint>

Q_DECLARE_LOGGING_CATEGORY(lcLogs)

namespace opsdeck::logs {

// Extra facts of a gap marker row (docs/protocol.md §4.4), kept beside the store since gaps are rare.
struct GapInfo
{
    int64_t fromSeq = -1; // -1: absent (epoch_changed)
    int64_t toSeq = -1;
    QString reason;
};

} // namespace opsdeck::logs
