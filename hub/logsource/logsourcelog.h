#pragma once

#include <QLoggingCategory>

// The log sources' logging category ("opsdeck.hub.logsource"): tailed files and the self-log.
Q_DECLARE_LOGGING_CATEGORY(lcLogSource)
