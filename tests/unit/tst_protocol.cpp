// Parsing and validation of inbound opsdeck.v1 frames, and the subscription filter.

#include "entryfilter.h"
#include "message.h"
#include "protocol.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace opsdeck::protocol;

namespace {
// JSON written with single quotes, to keep the test data readable (moc cannot parse raw strings).
QByteArray J(const char *text)
{
    QByteArray json(text);
    json.replace('\'', '"');
    return json;
}
} // namespace

class TestProtocol : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesTypedMessageWithId()
    {
        const ParsedFrame frame = parseFrame(J("{'type':'subscribe','id':'r1','topic':'logs'}"));
        QVERIFY(!frame.error);
        QCOMPARE(frame.message->type, QStringLiteral("subscribe"));
        QCOMPARE(frame.message->id, QStringLiteral("r1"));
        QCOMPARE(frame.message->body.value(QLatin1StringView("topic")).toString(), QStringLiteral("logs"));
    }

    void bareSeedControlIsReadAsControl()
    {
        const ParsedFrame frame = parseFrame(J("{'action':'pause'}"));
        QVERIFY(!frame.error);
        QCOMPARE(frame.message->type, QStringLiteral("control"));
    }

    void malformedJsonIsBadJsonWithOffset()
    {
        const ParsedFrame frame = parseFrame("{\"type\":\"ping\"");
        QVERIFY(frame.error);
        QCOMPARE(frame.error->code, ErrorCode::BadJson);
        QVERIFY(frame.error->details.contains(QLatin1StringView("offset")));
    }

    void nonObjectIsBadJson()
    {
        QCOMPARE(parseFrame("[1,2,3]").error->code, ErrorCode::BadJson);
        QCOMPARE(parseFrame("\"ping\"").error->code, ErrorCode::BadJson);
    }

    void wrongFieldTypesAreBadMessageNamingTheField_data()
    {
        QTest::addColumn<QByteArray>("frame");
        QTest::addColumn<QString>("field");
        QTest::newRow("type number") << QByteArray(J("{'type':5}")) << QStringLiteral("type");
        QTest::newRow("no type") << QByteArray(J("{'id':'x'}")) << QStringLiteral("type");
        QTest::newRow("empty type") << QByteArray(J("{'type':''}")) << QStringLiteral("type");
        QTest::newRow("id number") << QByteArray(J("{'type':'ping','id':7}")) << QStringLiteral("id");
        QTest::newRow("id too long") << QByteArray("{\"type\":\"ping\",\"id\":\"" + QByteArray(129, 'a') + "\"}")
                                     << QStringLiteral("id");
    }
    void wrongFieldTypesAreBadMessageNamingTheField()
    {
        QFETCH(QByteArray, frame);
        QFETCH(QString, field);
        const ParsedFrame parsed = parseFrame(frame);
        QVERIFY(parsed.error);
        QCOMPARE(parsed.error->code, ErrorCode::BadMessage);
        QCOMPARE(parsed.error->details.value(QLatin1StringView("field")).toString(), field);
    }

    void idIsKeptWhenTheRestIsInvalid()
    {
        const ParsedFrame parsed = parseFrame(J("{'id':'r9','type':17}"));
        QCOMPARE(parsed.error->code, ErrorCode::BadMessage);
        QCOMPARE(parsed.id, QStringLiteral("r9"));
    }

    void fieldReaderKeepsTheFirstProblem()
    {
        const QJsonObject body{{QStringLiteral("history"), 2.5}, {QStringLiteral("topic"), 3}};
        FieldReader reader(body);
        QVERIFY(!reader.optionalInteger(QLatin1StringView("history"), 0, 10));
        reader.requiredString(QLatin1StringView("topic"));
        QVERIFY(!reader.ok());
        QCOMPARE(reader.error()->details.value(QLatin1StringView("field")).toString(), QStringLiteral("history"));
    }

    void fieldReaderChecksRanges()
    {
        const QJsonObject body{{QStringLiteral("limit"), 5000}};
        FieldReader reader(body);
        QVERIFY(!reader.optionalInteger(QLatin1StringView("limit"), 1, 1000));
        QVERIFY(!reader.ok());
        FieldReader absent(QJsonObject{});
        QVERIFY(!absent.optionalInteger(QLatin1StringView("limit"), 1, 1000));
        QVERIFY(absent.ok());
    }

    void filterMatchesEachDimension()
    {
        const auto parsed = EntryFilter::fromJson(QJsonDocument::fromJson(
            J("{'levels':['error','warn'],'sources':['web-01'],'streams':['stderr'],'text':'TimeOut'}")).object());
        const auto &filter = std::get<EntryFilter>(parsed);
        QVERIFY(filter.matches({u"web-01", u"error", u"stderr", u"request timeout after 30s"}));
        QVERIFY(!filter.matches({u"web-01", u"info", u"stderr", u"request timeout"}));
        QVERIFY(!filter.matches({u"web-02", u"error", u"stderr", u"request timeout"}));
        QVERIFY(!filter.matches({u"web-01", u"error", u"stdout", u"request timeout"}));
        QVERIFY(!filter.matches({u"web-01", u"error", u"stderr", u"all good"}));
    }

    // Lines of files the hub follows (opsdeck-hub --log-file) are stream "file".
    void fileStreamFilterSelectsFollowedFiles()
    {
        const auto parsed = EntryFilter::fromJson(QJsonObject{{QStringLiteral("streams"), QJsonArray{QStringLiteral("file")}}});
        QVERIFY(std::holds_alternative<EntryFilter>(parsed));
        const auto &filter = std::get<EntryFilter>(parsed);
        QVERIFY(filter.matches({u"syslog", u"info", u"file", u"sshd[1]: accepted"}));
        QVERIFY(!filter.matches({u"web-01", u"info", u"stdout", u"GET /"}));
    }

    void filterIgnoresFieldsAnEntryDoesNotHave()
    {
        const auto parsed = EntryFilter::fromJson(QJsonObject{{QStringLiteral("streams"), QJsonArray{QStringLiteral("stderr")}}});
        QVERIFY(std::get<EntryFilter>(parsed).matches({u"web-01", {}, {}, {}}));
    }

    void regexFilter()
    {
        const auto parsed = EntryFilter::fromJson(
            QJsonObject{{QStringLiteral("text"), QStringLiteral("^GET /api/\\w+ 5\\d\\d")}, {QStringLiteral("regex"), true}});
        const auto &filter = std::get<EntryFilter>(parsed);
        QVERIFY(filter.matches({{}, {}, {}, u"GET /api/orders 503 in 12ms"}));
        QVERIFY(!filter.matches({{}, {}, {}, u"GET /api/orders 200 in 12ms"}));
    }

    void invalidFiltersAreBadMessage_data()
    {
        QTest::addColumn<QByteArray>("filter");
        QTest::addColumn<QString>("field");
        QTest::newRow("bad regex") << QByteArray(J("{'text':'(unclosed','regex':true}")) << QStringLiteral("filter.text");
        QTest::newRow("unknown level") << QByteArray(J("{'levels':['loud']}")) << QStringLiteral("filter.levels");
        QTest::newRow("levels not array") << QByteArray(J("{'levels':'error'}")) << QStringLiteral("filter.levels");
        QTest::newRow("unknown stream") << QByteArray(J("{'streams':['stdin']}")) << QStringLiteral("filter.streams");
        QTest::newRow("text number") << QByteArray(J("{'text':5}")) << QStringLiteral("filter.text");
    }
    void invalidFiltersAreBadMessage()
    {
        QFETCH(QByteArray, filter);
        QFETCH(QString, field);
        const auto parsed = EntryFilter::fromJson(QJsonDocument::fromJson(filter).object());
        const auto *error = std::get_if<ProtocolError>(&parsed);
        QVERIFY(error);
        QCOMPARE(error->code, ErrorCode::BadMessage);
        QCOMPARE(error->details.value(QLatin1StringView("field")).toString(), field);
    }

    void seedStreamControlReplacesTheStreamFilter()
    {
        EntryFilter filter;
        filter.setStream(QStringLiteral("stderr"));
        QVERIFY(!filter.matches({{}, {}, u"stdout", {}}));
        QVERIFY(filter.matches({{}, {}, u"stderr", {}}));
        filter.setStream(QStringLiteral("all"));
        QVERIFY(filter.matches({{}, {}, u"stdout", {}}));
    }

    void rateLimitsAndWindows()
    {
        QCOMPARE(parseRateLimit(u"600/1m"), std::make_optional(std::make_pair(600, 60)));
        QCOMPARE(parseRateLimit(u"10/5s"), std::make_optional(std::make_pair(10, 5)));
        QCOMPARE(parseRateLimit(u"100/h"), std::make_optional(std::make_pair(100, 3600)));
        QVERIFY(!parseRateLimit(u"fast"));
        QVERIFY(!parseRateLimit(u"0/1m"));
        QVERIFY(!parseRateLimit(u"10/"));
        QCOMPARE(formatWindow(60), QStringLiteral("1m"));
        QCOMPARE(formatWindow(45), QStringLiteral("45s"));
        QCOMPARE(formatWindow(7200), QStringLiteral("2h"));
    }

    void errorCodesRoundTrip()
    {
        for (ErrorCode code : {ErrorCode::BadJson, ErrorCode::RateLimitExceeded, ErrorCode::CommandTimeout,
                               ErrorCode::IdempotencyConflict, ErrorCode::Cancelled}) {
            QCOMPARE(errorCodeFromName(errorCodeName(code)), std::make_optional(code));
        }
        QCOMPARE(errorCodeName(ErrorCode::RateLimitExceeded), QStringLiteral("RATE_LIMIT_EXCEEDED"));
        QVERIFY(!errorCodeFromName(u"NOPE"));
    }

    void errorMessageShape()
    {
        const QJsonObject error = makeError(ProtocolError{ErrorCode::RateLimitExceeded, QStringLiteral("Too many requests"),
                                                          QJsonObject{{QStringLiteral("retry_after"), 45}}},
                                            QStringLiteral("r7"));
        QCOMPARE(error.value(QLatin1StringView("type")).toString(), QStringLiteral("error"));
        QCOMPARE(error.value(QLatin1StringView("code")).toString(), QStringLiteral("RATE_LIMIT_EXCEEDED"));
        QCOMPARE(error.value(QLatin1StringView("id")).toString(), QStringLiteral("r7"));
        QCOMPARE(error.value(QLatin1StringView("details")).toObject().value(QLatin1StringView("retry_after")).toInt(), 45);
        const QJsonObject framed = QJsonDocument::fromJson(toFrame(error)).object();
        QVERIFY(framed.value(QLatin1StringView("ts")).toString().endsWith(u'Z'));
    }
};

QTEST_GUILESS_MAIN(TestProtocol)
#include "tst_protocol.moc"
