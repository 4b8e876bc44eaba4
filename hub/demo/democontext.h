#pragma once

// State shared by the fleet and its agents: the registry they report through, the single random
// generator and the simulated clock. Agents never read the wall clock for decisions, so a test
// that steps the fleet gets the same behaviour as the real-time timer, only faster.

#include "agentregistry.h"
#include "demologs.h"
#include "demorandom.h"

#include <QLoggingCategory>
#include <QPointer>

Q_DECLARE_LOGGING_CATEGORY(lcDemo)

namespace opsdeck::hub::demo {

struct DemoContext
{
    DemoContext(AgentRegistry &registry, quint64 seed)
        : registry(&registry)
        , rng(seed)
    { }

    // A QPointer because the registry may be torn down before the fleet at hub shutdown.
    QPointer<AgentRegistry> registry;
    Rng rng;
    qint64 nowMs = 0; // simulated time since the fleet was created
    double logRate = 1.0; // multiplier on every agent's log line rate
    bool disconnects = true; // agents may drop off and come back (crashes included)

    void log(const QString &source, const LogLine &line) const
    {
        if (registry && !line.message.isEmpty())
            registry->publishLog(source, line.level, line.stream, line.message);
    }
};

} // namespace opsdeck::hub::demo
