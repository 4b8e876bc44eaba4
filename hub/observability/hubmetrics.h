#pragma once

// The hub's /metrics page: every HubStats counter, live gauges read from the server, and —
// when the hub publishes its own host's metrics — the newest host point.

#include <QByteArray>

namespace opsdeck::hub {
class HubServer;
namespace sources {
    class HostMetricsSource;
}
} // namespace opsdeck::hub

namespace opsdeck::hub::observability {

// Prometheus text exposition (version 0.0.4) of `server`'s state now. `host` may be nullptr.
QByteArray renderHubMetrics(HubServer &server, const sources::HostMetricsSource *host);

} // namespace opsdeck::hub::observability
