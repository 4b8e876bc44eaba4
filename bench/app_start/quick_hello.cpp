// bench_quick_hello: the start-up peer of bench_app_start — the smallest Qt Quick program on the
// same Qt, platform and renderer (a QApplication, as opsdeck needs one for Qt Charts, and one
// 1440×900 window with a line of text). It prints "startup first_frame" at its first frame, so
// the difference to opsdeck is what Opsdeck itself costs.

#include <QApplication>
#include <QQmlApplicationEngine>
#include <QQuickWindow>
#include <QTimer>
#include <cstdio>
#include <utility>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QQmlApplicationEngine engine;
    engine.loadData(
        QByteArrayLiteral("import QtQuick\n"
                          "Window { visible: true; width: 1440; height: 900; color: '#0e1116'\n"
                          "  Text { anchors.centerIn: parent; text: 'hello'; color: 'white' } }\n"));
    if (engine.rootObjects().isEmpty())
        return 1;
    auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().constFirst());
    QObject::connect(window, &QQuickWindow::frameSwapped, window, [done = false]() mutable {
        if (!std::exchange(done, true)) {
            std::printf("startup first_frame\n");
            std::fflush(stdout);
        }
    });
    // A safety net: the benchmark stops it, but it must never outlive a crashed benchmark.
    QTimer::singleShot(120000, &app, &QCoreApplication::quit);
    return app.exec();
}
