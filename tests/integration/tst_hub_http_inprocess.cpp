// The observability endpoint against an in-process HubServer: the Prometheus writer and the
// frame-type scan, /metrics counters following WebSocket traffic, 404s, /healthz turning 503
// while the hub drains, auth failures counted. Waits are on replies, never on time.

#include "httpendpoint.h"
#include "hubserver.h"
#include "prometheustext.h"
#include "testclient.h"
#include "tst_hub_http_scrape.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTest>

using namespace opsdeck::hub;
using namespace opsdeck::hub::observability;
using opsdeck::testing::parseProm;
using opsdeck::testing::PromScrape;
using opsdeck::testing::TestClient;

namespace {
struct HttpResult
{
    int status = 0;
    QByteArray contentType;
    QByteArray body;
};

HttpResult httpRequest(QNetworkAccessManager &nam, const QUrl &url, const QByteArray &verb = "GET")
{
    QNetworkRequest request(url);
    std::unique_ptr<QNetworkReply> reply(nam.sendCustomRequest(request, verb));
    if (!QTest::qWaitFor([&] { return reply->isFinished(); }, 20000))
        return {};
    return {reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
        reply->header(QNetworkRequest::ContentTypeHeader).toByteArray(), reply->readAll()};
}

QMap<QString, QString> L(std::initializer_list<std::pair<QString, QString>> labels)
{
    QMap<QString, QString> map;
    for (const auto &[k, v] : labels)
        map.insert(k, v);
    return map;
}
} // namespace

class TestHubHttpInProcess : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void writerEscapesAndFormats()
    {
        PrometheusWriter w;
        w.family("x_total", PrometheusWriter::Type::Counter, "help with \\ and\nnewline");
        w.sample(3, {{QStringLiteral("a"), QStringLiteral("q\"b\\c\nd")}});
        w.sample(0.25, {{QStringLiteral("a"), QStringLiteral("plain")}, {QStringLiteral("b"), QString()}});
        const PromScrape scrape = parseProm(QString::fromUtf8(w.text()));
        QVERIFY2(scrape.problem.isEmpty(), qPrintable(scrape.problem));
        QCOMPARE(
            scrape.help.value(QStringLiteral("x_total")), QStringLiteral("help with \\\\ and\\nnewline"));
        QCOMPARE(
            scrape.value(QStringLiteral("x_total"), L({{QStringLiteral("a"), QStringLiteral("q\"b\\c\nd")}})),
            3.0);
        QCOMPARE(scrape.value(QStringLiteral("x_total"), L({{QStringLiteral("a"), QStringLiteral("plain")}})),
            0.25);
        QCOMPARE(PrometheusWriter::formatValue(12345678901234.0), QByteArray("12345678901234"));
        QCOMPARE(PrometheusWriter::formatValue(qInf()), QByteArray("+Inf"));
        QCOMPARE(PrometheusWriter::formatValue(0.0005), QByteArray("0.0005"));
        QCOMPARE(PrometheusWriter::formatValue(0.00005), QByteArray("0.00005"));
        QCOMPARE(PrometheusWriter::formatValue(3.048), QByteArray("3.048"));
        QCOMPARE(PrometheusWriter::formatValue(1e-9), QByteArray("1e-09"));
    }

    void frameTypeScan()
    {
        QCOMPARE(HubStats::frameType("{\"type\":\"batch\",\"logs\":[{\"type\":\"log\"}]}"),
            QByteArrayView("batch"));
        // Sorted keys: nested objects with a type of their own come first.
        QCOMPARE(
            HubStats::frameType("{\"agent\":{\"type\":\"x\"},\"event\":\"registered\",\"type\":\"event\"}"),
            QByteArrayView("event"));
        QCOMPARE(HubStats::frameType("{\"message\":\"\\\"type\\\":\\\"fake\\\"\",\"type\":\"log\"}"),
            QByteArrayView("log"));
        QCOMPARE(HubStats::frameType("{\"seq\":1}"), QByteArrayView());
        QCOMPARE(HubStats::frameType(""), QByteArrayView());
    }

    void countersFollowTraffic()
    {
        HubServer server(HubConfig {});
        QVERIFY(server.listen());
        HttpEndpoint http(server, nullptr);
        QVERIFY(http.listen(QHostAddress::LocalHost, 0));
        QVERIFY(http.port() != 0);
        QNetworkAccessManager nam;

        HttpResult before = httpRequest(nam, http.url().resolved(QUrl(QStringLiteral("/metrics"))));
        QCOMPARE(before.status, 200);
        QVERIFY(before.contentType.startsWith("text/plain; version=0.0.4"));
        PromScrape first = parseProm(QString::fromUtf8(before.body));
        QVERIFY2(first.problem.isEmpty(), qPrintable(first.problem));
        const QString endpoint = opsdeck::protocol::endpointPath(opsdeck::protocol::Mode::Demo);
        QCOMPARE(first.value(
                     QStringLiteral("opsdeck_hub_connections"), L({{QStringLiteral("endpoint"), endpoint}})),
            0.0);
        QCOMPARE(first.value(QStringLiteral("opsdeck_hub_auth_failures_total")), 0.0);
        QCOMPARE(first.value(QStringLiteral("opsdeck_hub_draining")), 0.0);

        TestClient client;
        QVERIFY(client.open(server.url()));
        QVERIFY(client.request(QJsonObject {{QStringLiteral("type"), QStringLiteral("ping")}}));
        QVERIFY(client.request(QJsonObject {{QStringLiteral("type"), QStringLiteral("no_such_type")}}));
        const auto stats = client.request(QJsonObject {{QStringLiteral("type"), QStringLiteral("query")},
            {QStringLiteral("query"), QStringLiteral("stats")}});
        QVERIFY(stats);
        const QJsonObject result = stats->value(QLatin1StringView("result")).toObject();
        QCOMPARE(
            result.value(QLatin1StringView("messages_in")).toInt(), 3); // the `stats` query still answers
        QVERIFY(result.value(QLatin1StringView("bytes_in")).toInt() > 0);

        const PromScrape after = parseProm(
            QString::fromUtf8(httpRequest(nam, http.url().resolved(QUrl(QStringLiteral("/metrics")))).body));
        QVERIFY2(after.problem.isEmpty(), qPrintable(after.problem));
        auto v = [&](const char *name, std::initializer_list<std::pair<QString, QString>> labels = {}) {
            return after.value(QString::fromLatin1(name), L(labels)).value_or(-1);
        };
        QCOMPARE(v("opsdeck_hub_connections", {{QStringLiteral("endpoint"), endpoint}}), 1.0);
        QCOMPARE(v("opsdeck_hub_connections_accepted_total", {{QStringLiteral("endpoint"), endpoint}}), 1.0);
        QCOMPARE(v("opsdeck_hub_messages_received_total", {{QStringLiteral("type"), QStringLiteral("ping")}}),
            1.0);
        QCOMPARE(
            v("opsdeck_hub_messages_received_total", {{QStringLiteral("type"), QStringLiteral("unknown")}}),
            1.0);
        QCOMPARE(
            v("opsdeck_hub_messages_received_total", {{QStringLiteral("type"), QStringLiteral("query")}}),
            1.0);
        QVERIFY(
            v("opsdeck_hub_received_bytes_total", {{QStringLiteral("type"), QStringLiteral("ping")}}) > 10);
        QCOMPARE(
            v("opsdeck_hub_messages_sent_total", {{QStringLiteral("type"), QStringLiteral("pong")}}), 1.0);
        QCOMPARE(v("opsdeck_hub_messages_sent_total",
                     {{QStringLiteral("type"), QStringLiteral("connection_established")}}),
            1.0);
        QCOMPARE(
            v("opsdeck_hub_errors_total", {{QStringLiteral("code"), QStringLiteral("UNKNOWN_TYPE")}}), 1.0);
        QCOMPARE(v("opsdeck_hub_message_handling_seconds_count",
                     {{QStringLiteral("type"), QStringLiteral("ping")}}),
            1.0);
        QCOMPARE(v("opsdeck_hub_message_handling_seconds_bucket",
                     {{QStringLiteral("type"), QStringLiteral("ping")},
                         {QStringLiteral("le"), QStringLiteral("+Inf")}}),
            1.0);
        QCOMPARE(v("opsdeck_hub_topic_head_seq", {{QStringLiteral("topic"), QStringLiteral("logs")}}), 0.0);
        QCOMPARE(v("opsdeck_hub_topic_capacity_entries", {{QStringLiteral("topic"), QStringLiteral("logs")}}),
            100000.0);
        QCOMPARE(v("opsdeck_hub_terminals_open"), 0.0);
        QCOMPARE(
            v("opsdeck_hub_build_info", {{QStringLiteral("version"), QStringLiteral(OPSDECK_VERSION)}}), 1.0);

        // Buckets are cumulative and end at the count.
        double previous = 0;
        for (const auto &sample : after.samples) {
            if (sample.name != QLatin1StringView("opsdeck_hub_message_handling_seconds_bucket")
                || sample.labels.value(QStringLiteral("type")) != QLatin1StringView("query"))
                continue;
            QVERIFY(sample.value >= previous);
            previous = sample.value;
        }
        QCOMPARE(previous, 1.0);

        client.close();
        QTRY_COMPARE_WITH_TIMEOUT(server.connectionCount(), 0, 10000);
        const PromScrape closed = parseProm(
            QString::fromUtf8(httpRequest(nam, http.url().resolved(QUrl(QStringLiteral("/metrics")))).body));
        QCOMPARE(closed.value(QStringLiteral("opsdeck_hub_closes_total"),
                     L({{QStringLiteral("code"), QStringLiteral("1000")}})),
            1.0);
    }

    void everythingElseIsNotFound()
    {
        HubServer server(HubConfig {});
        QVERIFY(server.listen());
        HttpEndpoint http(server, nullptr);
        QVERIFY(http.listen(QHostAddress::LocalHost, 0));
        QNetworkAccessManager nam;
        for (const char *path : {"/", "/metricsx", "/metrics/", "/healthz/extra", "/api/v1/ws/demo"})
            QCOMPARE(httpRequest(nam, http.url().resolved(QUrl(QString::fromLatin1(path)))).status, 404);
        QCOMPARE(httpRequest(nam, http.url().resolved(QUrl(QStringLiteral("/metrics"))), "POST").status, 404);
        QCOMPARE(
            httpRequest(nam, http.url().resolved(QUrl(QStringLiteral("/healthz"))), "DELETE").status, 404);
    }

    void healthzTurns503WhileDraining()
    {
        HubServer server(HubConfig {});
        QVERIFY(server.listen());
        HttpEndpoint http(server, nullptr);
        QVERIFY(http.listen(QHostAddress::LocalHost, 0));
        QNetworkAccessManager nam;
        const QUrl healthz = http.url().resolved(QUrl(QStringLiteral("/healthz")));

        HttpResult ok = httpRequest(nam, healthz);
        QCOMPARE(ok.status, 200);
        QVERIFY(ok.contentType.startsWith("application/json"));
        const QJsonObject body = QJsonDocument::fromJson(ok.body).object();
        QCOMPARE(body.value(QLatin1StringView("status")).toString(), QStringLiteral("ok"));
        QCOMPARE(body.value(QLatin1StringView("version")).toString(), QStringLiteral(OPSDECK_VERSION));

        // The drain keeps the HTTP side up (the process exits on stopped()); it answers 503.
        server.shutdown();
        HttpResult draining = httpRequest(nam, healthz);
        QCOMPARE(draining.status, 503);
        QCOMPARE(
            QJsonDocument::fromJson(draining.body).object().value(QLatin1StringView("status")).toString(),
            QStringLiteral("draining"));
        const PromScrape scrape = parseProm(
            QString::fromUtf8(httpRequest(nam, http.url().resolved(QUrl(QStringLiteral("/metrics")))).body));
        QCOMPARE(scrape.value(QStringLiteral("opsdeck_hub_draining")), 1.0);
    }

    void authFailuresAreCounted()
    {
        HubConfig config;
        config.secret = "http-test-secret-0123456789";
        HubServer server(config);
        QVERIFY(server.listen());
        HttpEndpoint http(server, nullptr);
        QVERIFY(http.listen(QHostAddress::LocalHost, 0));
        TestClient intruder;
        intruder.open(server.url(), "wrong-secret-wrong-secret");
        QVERIFY(intruder.waitForClosed(10000));
        TestClient anonymous;
        anonymous.open(server.url());
        QVERIFY(anonymous.waitForClosed(10000));
        QNetworkAccessManager nam;
        const PromScrape scrape = parseProm(
            QString::fromUtf8(httpRequest(nam, http.url().resolved(QUrl(QStringLiteral("/metrics")))).body));
        QVERIFY2(scrape.problem.isEmpty(), qPrintable(scrape.problem));
        QCOMPARE(scrape.value(QStringLiteral("opsdeck_hub_auth_failures_total")), 2.0);
    }

    void resumesAreCountedByOutcome()
    {
        HubServer server(HubConfig {});
        QVERIFY(server.listen());
        HttpEndpoint http(server, nullptr);
        QVERIFY(http.listen(QHostAddress::LocalHost, 0));
        server.registry().publishLog(QStringLiteral("web-01"), QStringLiteral("info"), QStringLiteral("stdout"),
                                     QStringLiteral("one"));
        const QString epoch = server.topics().topic(opsdeck::protocol::Topic::Logs).epoch();
        TestClient client;
        QVERIFY(client.open(server.url()));
        // A reconnecting client: once from a position the hub still has, once from another epoch.
        for (const QString &since : {epoch, QStringLiteral("e-gone")}) {
            const QJsonObject result = client.subscribe(QJsonObject {{QStringLiteral("type"), QStringLiteral("subscribe")},
                {QStringLiteral("topic"), QStringLiteral("logs")},
                {QStringLiteral("since"), QJsonObject {{QStringLiteral("epoch"), since}, {QStringLiteral("seq"), 0}}}});
            QCOMPARE(result.value(QLatin1StringView("recovered")).toBool(), since == epoch);
        }
        QNetworkAccessManager nam;
        const PromScrape scrape = parseProm(
            QString::fromUtf8(httpRequest(nam, http.url().resolved(QUrl(QStringLiteral("/metrics")))).body));
        QVERIFY2(scrape.problem.isEmpty(), qPrintable(scrape.problem));
        QCOMPARE(scrape.value(QStringLiteral("opsdeck_hub_resumes_total"), {{QStringLiteral("recovered"), QStringLiteral("true")}}), 1.0);
        QCOMPARE(scrape.value(QStringLiteral("opsdeck_hub_resumes_total"), {{QStringLiteral("recovered"), QStringLiteral("false")}}), 1.0);
    }

    void bindFailureIsReported()
    {
        HubServer server(HubConfig {});
        HttpEndpoint first(server, nullptr);
        QVERIFY(first.listen(QHostAddress::LocalHost, 0));
        HttpEndpoint second(server, nullptr);
        QVERIFY(!second.listen(QHostAddress::LocalHost, first.port()));
        QVERIFY(second.errorString().contains(QString::number(first.port())));
    }
};

QTEST_GUILESS_MAIN(TestHubHttpInProcess)
#include "tst_hub_http_inprocess.moc"
