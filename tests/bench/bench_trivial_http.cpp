// The stack's ceiling for the polling benchmark (issue 18): a bare QHttpServer (Qt 6.4, no
// guard, no front door) on 127.0.0.1 with one route answering a constant 60-byte JSON.
// tests/bench/run.sh polls it with the same wrk in the same run as Headway's routes.
//
//   bench_trivial_http [--port N]     prints "listening on PORT", serves until killed
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QHostAddress>
#include <QHttpServer>
#include <QHttpServerResponse>

#include <cstdio>

using namespace Qt::StringLiterals;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption portOption(u"port"_s, u"Port (0: any free one)."_s, u"N"_s, u"0"_s);
    parser.addOption(portOption);
    parser.process(app);

    // 60 bytes, about the size of the seed route's answer.
    static const QByteArray body
        = R"({"progress":42,"status":"in progress","padding":"xxxxxxxxx"})";
    static_assert(sizeof(R"({"progress":42,"status":"in progress","padding":"xxxxxxxxx"})") - 1
                  == 60);
    QHttpServer server;
    server.route(u"/trivial"_s, [] { return QHttpServerResponse("application/json", body); });
    const quint16 port
        = server.listen(QHostAddress::LocalHost, quint16(parser.value(portOption).toUInt()));
    if (port == 0) {
        std::fprintf(stderr, "bench_trivial_http: cannot listen\n");
        return 1;
    }
    std::printf("listening on %u\n", unsigned(port));
    std::fflush(stdout);
    return app.exec();
}
