// CommandTask with real processes: output tail, the zenity progress protocol, arguments passed
// without a shell, working directory, every failure (not found, non-zero exit, crash), and
// cancel/pause/resume of running processes from another thread. No sleeps and no time limits:
// waits are for conditions (output seen, the process's state in /proc).
#include "app/core/taskcontext.h"
#include "app/core/tasks/commandtask.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <thread>
#include <utility>

using namespace Qt::StringLiterals;

namespace {
// Runs a command task on its own thread, as the engine's worker would.
class Runner
{
public:
    Runner(const QString &program, const QStringList &arguments, int graceMs = 3000)
        : m_task(program, arguments, QString())
    {
        m_context.setCancelGraceMs(graceMs);
        m_thread = std::thread([this] {
            m_outcome = m_task.run(m_context);
            m_done = true;
        });
    }
    ~Runner()
    {
        m_context.requestCancel();
        m_thread.join();
    }
    TaskContext &context() { return m_context; }
    bool isDone() const { return m_done; }
    const TaskOutcome &outcome() const { return m_outcome; }
    TaskContext::Sample sample()
    {
        TaskContext::Sample s;
        m_context.sample(s);
        return s;
    }

private:
    TaskContext m_context;
    CommandTask m_task;
    TaskOutcome m_outcome;
    std::atomic<bool> m_done { false };
    std::thread m_thread;
};

// The state letter of a process in /proc/PID/stat ('S' sleeping, 'T' stopped, ...).
char processState(qint64 pid)
{
    QFile stat(u"/proc/%1/stat"_s.arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return '?';
    const QByteArray line = stat.readAll();
    const qsizetype close = line.lastIndexOf(')'); // after the command name, which may hold ")"
    return close >= 0 && close + 2 < line.size() ? line.at(close + 2) : '?';
}

// Every process in the group `pgid`: pid -> (state, parent pid), from /proc/PID/stat.
QHash<qint64, std::pair<char, qint64>> processGroup(qint64 pgid)
{
    QHash<qint64, std::pair<char, qint64>> members;
    const QStringList pids = QDir(u"/proc"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &name : pids) {
        bool isPid = false;
        const qint64 pid = name.toLongLong(&isPid);
        QFile stat(u"/proc/%1/stat"_s.arg(name));
        if (!isPid || !stat.open(QIODevice::ReadOnly))
            continue;
        const QByteArray line = stat.readAll();
        // After the command name (which may hold ")"): state, ppid, pgrp.
        const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
        if (fields.size() > 2 && fields.at(2).toLongLong() == pgid)
            members.insert(pid, { fields.at(0).at(0), fields.at(1).toLongLong() });
    }
    return members;
}

// The whole group is stopped: every process is 'T', except a shell waiting in vfork() for a
// child that was stopped before its exec ('D' until the child goes on: dash starts commands
// with vfork, so a pause can land in that window).
bool groupStopped(qint64 pgid)
{
    const auto members = processGroup(pgid);
    if (members.isEmpty())
        return false;
    for (auto it = members.cbegin(); it != members.cend(); ++it) {
        if (it->first == 'T')
            continue;
        const bool vforkParentOfStopped = it->first == 'D'
            && std::any_of(members.cbegin(), members.cend(),
                           [&](const auto &m) { return m.second == it.key() && m.first == 'T'; });
        if (!vforkParentOfStopped)
            return false;
    }
    return true;
}

// The number after "pid " in a command's output (the script prints its $$ first).
qint64 printedPid(const QString &output)
{
    const qsizetype at = output.indexOf(u"pid "_s);
    if (at < 0)
        return 0;
    const qsizetype end = output.indexOf(u'\n', at);
    return end < 0 ? 0 : output.mid(at + 4, end - at - 4).toLongLong();
}

TaskOutcome runSh(const QString &script, TaskContext &context, const QString &workingDirectory = {})
{
    return CommandTask(u"/bin/sh"_s, { u"-c"_s, script }, workingDirectory).run(context);
}
} // namespace

class tst_CommandTask : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void succeedsWithOutputTail();
    void outputInPrintedOrder();
    void largeSingleWrite();
    void progressLine_data();
    void progressLine();
    void zenityProtocolFromProcess();
    void argumentsWithoutShell();
    void stdinIsClosed();
    void workingDirectory();
    void missingWorkingDirectory();
    void programNotFound_data();
    void programNotFound();
    void notExecutable();
    void nonZeroExit();
    void crashed();
    void outputTailIsBounded();
    void cancelLongCommandIsPrompt();
    void cancelKillsAfterGrace();
    void pauseAndResume();
};

void tst_CommandTask::succeedsWithOutputTail()
{
    TaskContext context;
    const TaskOutcome outcome = runSh(u"echo hello; echo problem >&2"_s, context);
    QVERIFY2(outcome.ok, qPrintable(outcome.error.message));
    const QJsonObject result = outcome.result.toObject();
    QCOMPARE(result.value(u"exit_code"_s).toInt(-1), 0);
    const QString tail = result.value(u"output_tail"_s).toString();
    QVERIFY2(tail.contains(u"hello\n"_s) && tail.contains(u"problem\n"_s), qPrintable(tail));
    TaskContext::Sample sample;
    context.sample(sample);
    QCOMPARE(sample.output, tail);
}

// stdout and stderr come out in the order the program wrote them, stderr marked; with two
// pipes read one after the other all of one stream came before the other.
void tst_CommandTask::outputInPrintedOrder()
{
    TaskContext context;
    const TaskOutcome outcome = runSh(
        u"for i in 1 2 3 4 5 6 7 8; do echo out$i; echo err$i >&2; done; exit 2"_s, context);
    QCOMPARE(outcome.error.code, u"exit_code"_s);
    QString expected;
    QStringList marks;
    for (int i = 1; i <= 8; ++i) {
        expected += u"out%1\nerr%1\n"_s.arg(i);
        marks << u"o:out%1"_s.arg(i) << u"e:err%1"_s.arg(i);
    }
    QCOMPARE(outcome.error.details.value(u"output_tail"_s).toString(), expected);
    TaskContext::Sample sample;
    context.sample(sample);
    QCOMPARE(sample.output, expected);
    QStringList got;
    for (const OutputTail::Line &l : OutputTail::lines(sample.output, sample.outputStderr))
        got << (l.fromStderr ? u"e:"_s : u"o:"_s) + l.text;
    QCOMPARE(got, marks);
}

// One write() of 128 KiB (what cat does) arrives whole: each stream's socket buffer is sized
// for it (see OutputCapture).
void tst_CommandTask::largeSingleWrite()
{
    TaskContext context;
    // 16,384 lines of "xxxxxxx" in one write() of 131,072 bytes, then a last line.
    const TaskOutcome outcome
        = runSh(u"yes xxxxxxx | head -c 131072 | dd bs=131072 count=1 iflag=fullblock status=none; "
                u"echo done"_s,
                context);
    QVERIFY2(outcome.ok, qPrintable(outcome.error.message));
    TaskContext::Sample sample;
    context.sample(sample);
    QVERIFY2(sample.output.endsWith(u"xxxxxxx\ndone\n"_s), qPrintable(sample.output.right(40)));
    QVERIFY2(sample.output.size() > 60000, qPrintable(QString::number(sample.output.size())));
}

void tst_CommandTask::progressLine_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<bool>("isProgress");
    QTest::addColumn<double>("percent");
    QTest::addColumn<QString>("message");
    QTest::newRow("number") << u"50"_s << true << 50.0 << QString();
    QTest::newRow("decimal with spaces") << u"  42.5 \r"_s << true << 42.5 << QString();
    QTest::newRow("above 100") << u"150"_s << true << 100.0 << QString();
    QTest::newRow("negative") << u"-5"_s << true << 0.0 << QString();
    QTest::newRow("message") << u"# Copying files"_s << true << -1.0 << u"Copying files"_s;
    QTest::newRow("message without space") << u"#half"_s << true << -1.0 << u"half"_s;
    QTest::newRow("text") << u"hello 50"_s << false << -1.0 << QString();
    QTest::newRow("empty") << QString() << false << -1.0 << QString();
    QTest::newRow("nan") << u"nan"_s << false << -1.0 << QString();
}

void tst_CommandTask::progressLine()
{
    QFETCH(QString, line);
    QFETCH(bool, isProgress);
    QFETCH(double, percent);
    QFETCH(QString, message);
    TaskContext context;
    QCOMPARE(CommandTask::applyProgressLine(line, context), isProgress);
    TaskContext::Sample sample;
    context.sample(sample);
    QCOMPARE(sample.percent, percent);
    QCOMPARE(sample.message, message);
}

void tst_CommandTask::zenityProtocolFromProcess()
{
    // Progress as it happens...
    Runner runner(u"/bin/sh"_s,
                  { u"-c"_s, u"echo 10; echo '# starting'; echo 50; echo '# half'; sleep 30"_s });
    QTRY_COMPARE(runner.sample().percent, 50.0);
    QTRY_COMPARE(runner.sample().message, u"half"_s);
    QVERIFY(!runner.isDone());

    // ...and a last line without a newline still counts.
    TaskContext context;
    const TaskOutcome outcome = runSh(u"echo 20; echo '# almost'; printf 75"_s, context);
    QVERIFY(outcome.ok);
    TaskContext::Sample sample;
    context.sample(sample);
    QCOMPARE(sample.percent, 75.0);
    QCOMPARE(sample.message, u"almost"_s);
}

void tst_CommandTask::argumentsWithoutShell()
{
    TaskContext context;
    const TaskOutcome outcome
        = CommandTask(u"printf"_s, { u"%s|"_s, u"a b"_s, u"$HOME"_s, u"*"_s, u"'q'"_s }, QString())
              .run(context);
    QVERIFY(outcome.ok);
    QCOMPARE(outcome.result.toObject().value(u"output_tail"_s).toString(), u"a b|$HOME|*|'q'|"_s);
}

void tst_CommandTask::stdinIsClosed()
{
    // cat with no arguments reads stdin: it must see end of file at once, not hang.
    TaskContext context;
    const TaskOutcome outcome = CommandTask(u"cat"_s, {}, QString()).run(context);
    QVERIFY(outcome.ok);
}

void tst_CommandTask::workingDirectory()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    TaskContext context;
    const TaskOutcome outcome = runSh(u"pwd -P"_s, context, dir.path());
    QVERIFY(outcome.ok);
    QCOMPARE(outcome.result.toObject().value(u"output_tail"_s).toString(),
             QDir(dir.path()).canonicalPath() + u'\n');

    // A relative program path is relative to the working directory.
    QFile script(dir.filePath(u"hello.sh"_s));
    QVERIFY(script.open(QIODevice::WriteOnly));
    script.write("#!/bin/sh\necho from-script\n");
    script.close();
    QVERIFY(script.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
    const TaskOutcome relative = CommandTask(u"./hello.sh"_s, {}, dir.path()).run(context);
    QVERIFY2(relative.ok, qPrintable(relative.error.message));
    QCOMPARE(relative.result.toObject().value(u"output_tail"_s).toString(), u"from-script\n"_s);
}

void tst_CommandTask::missingWorkingDirectory()
{
    TaskContext context;
    const TaskOutcome outcome = runSh(u"true"_s, context, u"/nonexistent/headway-dir"_s);
    QCOMPARE(outcome.error.code, u"working_directory_not_found"_s);
    QVERIFY(outcome.error.message.contains(u"/nonexistent/headway-dir"_s));
}

void tst_CommandTask::programNotFound_data()
{
    QTest::addColumn<QString>("program");
    QTest::newRow("in PATH") << u"headway-no-such-program"_s;
    QTest::newRow("a path") << u"/nonexistent/bin/tool"_s;
}

void tst_CommandTask::programNotFound()
{
    QFETCH(QString, program);
    TaskContext context;
    const TaskOutcome outcome = CommandTask(program, {}, QString()).run(context);
    QVERIFY(!outcome.ok);
    QCOMPARE(outcome.error.code, u"program_not_found"_s);
    QVERIFY2(outcome.error.message.contains(program), qPrintable(outcome.error.message));
}

void tst_CommandTask::notExecutable()
{
    QTemporaryDir dir;
    TaskContext context;
    const TaskOutcome outcome = CommandTask(dir.path(), {}, QString()).run(context);
    QCOMPARE(outcome.error.code, u"failed_to_start"_s);
}

void tst_CommandTask::nonZeroExit()
{
    TaskContext context;
    const TaskOutcome outcome = runSh(u"echo 'something went wrong'; exit 3"_s, context);
    QVERIFY(!outcome.ok);
    QCOMPARE(outcome.error.code, u"exit_code"_s);
    QVERIFY2(outcome.error.message.contains(u'3'), qPrintable(outcome.error.message));
    QCOMPARE(outcome.error.details.value(u"exit_code"_s).toInt(), 3);
    QCOMPARE(outcome.error.details.value(u"output_tail"_s).toString(), u"something went wrong\n"_s);
}

void tst_CommandTask::crashed()
{
    TaskContext context;
    const TaskOutcome outcome = runSh(u"kill -SEGV $$"_s, context);
    QVERIFY(!outcome.ok);
    QCOMPARE(outcome.error.code, u"crashed"_s);
    QCOMPARE(outcome.error.details.value(u"signal"_s).toInt(), 11);
}

void tst_CommandTask::outputTailIsBounded()
{
    TaskContext context;
    const TaskOutcome outcome
        = runSh(u"i=0; while [ $i -lt 3000 ]; do echo line-$i; i=$((i+1)); done"_s, context);
    QVERIFY(outcome.ok);
    const QString tail = outcome.result.toObject().value(u"output_tail"_s).toString();
    QVERIFY(tail.size() <= 4096);
    QVERIFY(tail.endsWith(u"line-2999\n"_s));
    QVERIFY(tail.startsWith(u"line-"_s)); // cut at a line start
}

void tst_CommandTask::cancelLongCommandIsPrompt()
{
    // Left alone it would run 30 s: ending within QTRY's wait proves the SIGTERM.
    Runner runner(u"/bin/sh"_s, { u"-c"_s, u"echo started; sleep 30; echo finished"_s });
    QTRY_VERIFY(runner.sample().output.contains(u"started"_s));
    runner.context().requestCancel();
    QTRY_VERIFY(runner.isDone());
    QCOMPARE(runner.outcome().error.code, u"canceled"_s);
    QVERIFY(!runner.sample().output.contains(u"finished"_s));
}

void tst_CommandTask::cancelKillsAfterGrace()
{
    // Ignores SIGTERM (and so does the sleep it starts): only the kill after the grace ends it.
    Runner runner(u"/bin/sh"_s,
                  { u"-c"_s, u"trap '' TERM; echo started; sleep 30; echo survived"_s }, 300);
    QTRY_VERIFY(runner.sample().output.contains(u"started"_s));
    QElapsedTimer timer;
    timer.start();
    runner.context().requestCancel();
    QTRY_VERIFY(runner.isDone());
    // Not before the grace: a lower bound only, which a slow machine cannot break.
    QVERIFY2(timer.elapsed() >= 250, qPrintable(QString::number(timer.elapsed())));
    QCOMPARE(runner.outcome().error.code, u"canceled"_s);
    QVERIFY(!runner.sample().output.contains(u"survived"_s));
}

void tst_CommandTask::pauseAndResume()
{
    // Prints its pid, then counts to 40 in 20 ms steps, each number as the percent.
    Runner runner(u"/bin/sh"_s,
                  { u"-c"_s,
                    u"echo \"pid $$\"; i=0; while [ $i -le 40 ]; do echo $i; i=$((i+1)); "
                    "sleep 0.02; done"_s });
    QTRY_VERIFY(runner.sample().percent >= 3);
    const qint64 pid = printedPid(runner.sample().output);
    QVERIFY(pid > 0);
    QVERIFY(processState(pid) != 'T');
    runner.context().requestPause();
    // Stopped by the kernel (SIGSTOP to its process group): it cannot print another line.
    QTRY_VERIFY(groupStopped(pid));
    QVERIFY(!runner.isDone());
    QVERIFY(runner.sample().percent < 40);
    runner.context().requestResume();
    QTRY_VERIFY(processState(pid) != 'T');
    QTRY_VERIFY_WITH_TIMEOUT(runner.isDone(), 5000);
    QVERIFY2(runner.outcome().ok, qPrintable(runner.outcome().error.message));
    QCOMPARE(runner.sample().percent, 40.0);
}

QTEST_GUILESS_MAIN(tst_CommandTask)
#include "tst_commandtask.moc"
