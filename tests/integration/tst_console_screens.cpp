// The console as an operator starts it: the real opsdeck binary, offscreen, its embedded hub and
// demo fleet, one screenshot per pane. The picture must show something and the pane's model must
// hold the demo fleet's data.

#include <QImage>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

class TestConsoleScreens : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    struct Run
    {
        int exitCode = -1;
        QString output;
        QImage image;
    };

    Run screenshot(const QString &pane, const QStringList &extra = {})
    {
        Run run;
        const QString file = m_dir.filePath(pane + QStringLiteral(".png"));
        QProcess app;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("QT_QUICK_BACKEND"), QStringLiteral("software"));
        env.insert(QStringLiteral("HOME"), m_dir.path()); // never touch the operator's settings
        app.setProcessEnvironment(env);
        app.setProcessChannelMode(QProcess::SeparateChannels);
        app.start(QStringLiteral(OPSDECK_APP_BINARY),
            QStringList {QStringLiteral("--demo"), QStringLiteral("--pane"), pane,
                QStringLiteral("--screenshot"), file, QStringLiteral("--screenshot-delay"),
                QStringLiteral("3500"), QStringLiteral("--seed"), QStringLiteral("11")}
                + extra);
        if (!app.waitForFinished(60000)) {
            app.kill();
            app.waitForFinished();
        }
        run.exitCode = app.exitStatus() == QProcess::NormalExit ? app.exitCode() : -1;
        run.output = QString::fromUtf8(app.readAllStandardOutput());
        if (run.exitCode != 0)
            qWarning().noquote() << app.readAllStandardError().right(4000);
        run.image = QImage(file);
        return run;
    }

    static int distinctColours(const QImage &image)
    {
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 7) {
            for (int x = 0; x < image.width(); x += 7)
                colours.insert(image.pixel(x, y));
        }
        return int(colours.size());
    }

    static qint64 figure(const QString &output, const QString &name, const QString &what)
    {
        const QRegularExpression pattern(QStringLiteral("model %1 %2=(\\d+)").arg(name, what));
        const auto match = pattern.match(output);
        return match.hasMatch() ? match.captured(1).toLongLong() : -1;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void agentsPaneShowsTheFleet()
    {
        const Run run = screenshot(QStringLiteral("agents"));
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.image.size(), QSize(1440, 900));
        QVERIFY2(distinctColours(run.image) > 12, "the agents screenshot is blank");
        QVERIFY2(figure(run.output, QStringLiteral("agentModel"), QStringLiteral("rows")) >= 8,
            qPrintable(run.output));
    }

    void metricsPaneHasSeries()
    {
        const Run run = screenshot(QStringLiteral("metrics"));
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(distinctColours(run.image) > 12, "the metrics screenshot is blank");
        QVERIFY2(figure(run.output, QStringLiteral("metricsStore"), QStringLiteral("points")) > 0,
            qPrintable(run.output));
    }

    void logsPaneHasEntries()
    {
        const Run run = screenshot(QStringLiteral("logs"));
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(distinctColours(run.image) > 12, "the logs screenshot is blank");
        QVERIFY2(figure(run.output, QStringLiteral("logModel"), QStringLiteral("rows")) > 0,
            qPrintable(run.output));
    }

    // The embedded hub is on loopback and holds the per-launch secret, so it serves a real shell.
    void terminalPaneOpensAShell()
    {
        const Run run
            = screenshot(QStringLiteral("terminal"), {QStringLiteral("--theme"), QStringLiteral("light")});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(distinctColours(run.image) > 6, "the terminal screenshot is blank");
        QVERIFY2(figure(run.output, QStringLiteral("terminalTabs"), QStringLiteral("rows")) >= 1,
            qPrintable(run.output));
        QVERIFY2(run.output.contains(QStringLiteral("terminal state=ready")), qPrintable(run.output));
    }
};

QTEST_GUILESS_MAIN(TestConsoleScreens)
#include "tst_console_screens.moc"
