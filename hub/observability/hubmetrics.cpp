#include "hubmetrics.h"

#include "hostmetricssource.h"
#include "hubserver.h"
#include "prometheustext.h"

#include <QtGlobal>
#include <algorithm>

namespace opsdeck::hub::observability {

namespace {
    using Type = PrometheusWriter::Type;

    template<typename Map> QList<typename Map::key_type> sortedKeys(const Map &map)
    {
        QList<typename Map::key_type> keys = map.keys();
        std::sort(keys.begin(), keys.end());
        return keys;
    }

    void writeTraffic(PrometheusWriter &w, HubServer &server)
    {
        const HubStats &stats = server.stats();
        w.family("opsdeck_hub_messages_received_total", Type::Counter,
            "WebSocket messages received from clients, by message type (unknown: no such type, invalid: "
            "not a valid frame).");
        for (const QString &type : sortedKeys(stats.inByType))
            w.sample(double(stats.inByType.value(type).messages), {{QStringLiteral("type"), type}});
        w.family("opsdeck_hub_received_bytes_total", Type::Counter,
            "Bytes of WebSocket messages received, by type.");
        for (const QString &type : sortedKeys(stats.inByType))
            w.sample(double(stats.inByType.value(type).bytes), {{QStringLiteral("type"), type}});
        w.family(
            "opsdeck_hub_messages_sent_total", Type::Counter, "WebSocket messages sent to clients, by type.");
        for (const QString &type : sortedKeys(stats.outByType))
            w.sample(double(stats.outByType.value(type).messages), {{QStringLiteral("type"), type}});
        w.family("opsdeck_hub_sent_bytes_total", Type::Counter, "Bytes of WebSocket messages sent, by type.");
        for (const QString &type : sortedKeys(stats.outByType))
            w.sample(double(stats.outByType.value(type).bytes), {{QStringLiteral("type"), type}});

        w.family("opsdeck_hub_message_handling_seconds", Type::Histogram,
            "Time the hub spent handling one received message (parse, checks, handler), by type.");
        for (const QString &type : sortedKeys(stats.handlingByType)) {
            const LatencyHistogram &h = stats.handlingByType.value(type);
            qint64 cumulative = 0;
            for (size_t i = 0; i < LatencyHistogram::kBounds.size(); ++i) {
                cumulative += h.buckets[i];
                w.sampleSuffixed("_bucket", double(cumulative),
                    {{QStringLiteral("type"), type},
                        {QStringLiteral("le"),
                            QString::fromLatin1(
                                PrometheusWriter::formatValue(LatencyHistogram::kBounds[i]))}});
            }
            w.sampleSuffixed("_bucket", double(h.count),
                {{QStringLiteral("type"), type}, {QStringLiteral("le"), QStringLiteral("+Inf")}});
            w.sampleSuffixed("_sum", h.sumSeconds, {{QStringLiteral("type"), type}});
            w.sampleSuffixed("_count", double(h.count), {{QStringLiteral("type"), type}});
        }

        w.family(
            "opsdeck_hub_errors_total", Type::Counter, "Protocol errors sent or counted, by error code.");
        for (const QString &code : sortedKeys(stats.errorsByCode))
            w.sample(double(stats.errorsByCode.value(code)), {{QStringLiteral("code"), code}});
        w.family("opsdeck_hub_closes_total", Type::Counter, "WebSocket connections closed, by close code.");
        for (int code : sortedKeys(stats.closesByCode))
            w.sample(
                double(stats.closesByCode.value(code)), {{QStringLiteral("code"), QString::number(code)}});
        w.family("opsdeck_hub_auth_failures_total", Type::Counter,
            "Upgrades refused for a missing, wrong, expired or revoked secret or token, and refused auth refreshes.");
        w.sample(double(stats.authFailures));
        w.family("opsdeck_hub_resumes_total", Type::Counter,
            "Subscriptions that resumed from a position (a client reconnecting), by whether the hub could "
            "replay everything missed.");
        w.sample(double(stats.resumesRecovered), {{QStringLiteral("recovered"), QStringLiteral("true")}});
        w.sample(double(stats.resumesLost), {{QStringLiteral("recovered"), QStringLiteral("false")}});
    }

    void writeState(PrometheusWriter &w, HubServer &server)
    {
        const QString endpoint = protocol::endpointPath(server.config().mode);
        w.family("opsdeck_hub_connections", Type::Gauge, "Open client connections, by endpoint.");
        w.sample(server.connectionCount(), {{QStringLiteral("endpoint"), endpoint}});
        w.sample(double(server.stats().agentConnections), {{QStringLiteral("endpoint"), QString(protocol::kPathAgent)}});
        w.family("opsdeck_hub_connections_accepted_total", Type::Counter,
            "Client connections accepted, by endpoint.");
        w.sample(double(server.stats().connectionsAccepted), {{QStringLiteral("endpoint"), endpoint}});
        w.sample(double(server.stats().agentConnectionsAccepted),
                 {{QStringLiteral("endpoint"), QString(protocol::kPathAgent)}});
        w.family("opsdeck_hub_subscriptions", Type::Gauge, "Topic subscriptions over all connections.");
        w.sample(server.subscriptionCount());
        w.family("opsdeck_hub_unsent_bytes", Type::Gauge,
            "Bytes queued on client sockets and not yet written (the send backlog).");
        w.sample(double(server.unsentBytes()));
        w.family("opsdeck_hub_backlog_pauses_total", Type::Counter,
            "Times a connection's send backlog crossed --backlog-high-bytes and pushing paused.");
        w.sample(double(server.stats().backlogPauses));
        w.family("opsdeck_hub_commands_running", Type::Gauge, "Commands routed to agents and not finished.");
        w.sample(double(server.commandsRunning()));

        w.family(
            "opsdeck_hub_topic_head_seq", Type::Gauge, "Newest seq of each topic (restarts with the epoch).");
        for (int i = 0; i < protocol::kTopicCount; ++i) {
            const Topic &topic = server.topics().topic(static_cast<protocol::Topic>(i));
            w.sample(double(topic.headSeq()), {{QStringLiteral("topic"), topic.name()}});
        }
        w.family(
            "opsdeck_hub_topic_retained_entries", Type::Gauge, "Entries each topic's retention ring holds.");
        for (int i = 0; i < protocol::kTopicCount; ++i) {
            const Topic &topic = server.topics().topic(static_cast<protocol::Topic>(i));
            w.sample(
                double(topic.headSeq() + 1 - topic.oldestSeq()), {{QStringLiteral("topic"), topic.name()}});
        }
        w.family("opsdeck_hub_topic_capacity_entries", Type::Gauge, "Retention size of each topic.");
        for (int i = 0; i < protocol::kTopicCount; ++i) {
            const Topic &topic = server.topics().topic(static_cast<protocol::Topic>(i));
            w.sample(double(topic.capacity()), {{QStringLiteral("topic"), topic.name()}});
        }

        w.family("opsdeck_hub_terminals_open", Type::Gauge, "Terminal sessions running (attached or not).");
        w.sample(server.terminals().count());
        w.family(
            "opsdeck_hub_terminals_attached", Type::Gauge, "Terminal sessions with a connection attached.");
        w.sample(server.terminals().attachedCount());
        w.family("opsdeck_hub_draining", Type::Gauge, "1 while the hub drains its clients before exiting.");
        w.sample(server.isDraining() ? 1 : 0);
        w.family("opsdeck_hub_uptime_seconds", Type::Gauge, "Seconds since the hub started.");
        w.sample(double(server.uptimeMs()) / 1000.0);
        w.family("opsdeck_hub_build_info", Type::Gauge, "Always 1; the labels say which build runs.");
        w.sample(1,
            {{QStringLiteral("version"), QStringLiteral(OPSDECK_VERSION)},
                {QStringLiteral("qt"), QString::fromLatin1(qVersion())},
                {QStringLiteral("mode"), protocol::modeName(server.config().mode)},
                {QStringLiteral("hub_id"), server.hubId()}});
    }

    void writeHost(PrometheusWriter &w, const sources::HostMetricsSource &source)
    {
        const auto &latest = source.latest();
        if (!latest)
            return; // before the first point: no made-up zeros
        const sources::HostMetrics &m = *latest;
        const Labels host {{QStringLiteral("host"), source.hostName()}};
        constexpr double kMiB = 1024.0 * 1024.0;
        w.family(
            "opsdeck_host_cpu_percent", Type::Gauge, "Busy CPU share of this host over the last interval.");
        w.sample(m.cpuPercent, host);
        w.family("opsdeck_host_memory_used_bytes", Type::Gauge, "Memory in use (total minus available).");
        w.sample(m.memoryUsedMiB * kMiB, host);
        w.family("opsdeck_host_memory_total_bytes", Type::Gauge, "Physical memory.");
        w.sample(m.memoryTotalMiB * kMiB, host);
        w.family("opsdeck_host_swap_used_bytes", Type::Gauge, "Swap in use.");
        w.sample(m.swapUsedMiB * kMiB, host);
        if (m.load) {
            w.family("opsdeck_host_load", Type::Gauge, "Load average over 1, 5 and 15 minutes.");
            w.sample(m.load->one, host + Labels {{QStringLiteral("period"), QStringLiteral("1m")}});
            w.sample(m.load->five, host + Labels {{QStringLiteral("period"), QStringLiteral("5m")}});
            w.sample(m.load->fifteen, host + Labels {{QStringLiteral("period"), QStringLiteral("15m")}});
        }
        w.family("opsdeck_host_network_bytes_per_second", Type::Gauge,
            "Network traffic, every interface but loopback.");
        w.sample(m.rxBytesPerSec, host + Labels {{QStringLiteral("direction"), QStringLiteral("rx")}});
        w.sample(m.txBytesPerSec, host + Labels {{QStringLiteral("direction"), QStringLiteral("tx")}});
        w.family(
            "opsdeck_host_filesystem_used_bytes", Type::Gauge, "Used bytes of each configured mount point.");
        for (const sources::MountUsage &mount : m.mounts)
            w.sample(double(mount.usedBytes), host + Labels {{QStringLiteral("mount"), mount.path}});
        w.family("opsdeck_host_filesystem_size_bytes", Type::Gauge, "Size of each configured mount point.");
        for (const sources::MountUsage &mount : m.mounts)
            w.sample(double(mount.totalBytes), host + Labels {{QStringLiteral("mount"), mount.path}});
    }
} // namespace

QByteArray renderHubMetrics(HubServer &server, const sources::HostMetricsSource *host)
{
    PrometheusWriter writer;
    writeState(writer, server);
    writeTraffic(writer, server);
    if (host)
        writeHost(writer, *host);
    return writer.text();
}

} // namespace opsdeck::hub::observability
