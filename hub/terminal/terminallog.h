#pragma once

#include <QLoggingCategory>

// The terminal layer's logging category ("opsdeck.hub.terminal").
Q_DECLARE_LOGGING_CATEGORY(lcTerminal)
