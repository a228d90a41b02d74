<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>BuiltinTaskTypes</name>
    <message numerus="yes">
        <source>Demo (%n steps)</source>
        <translation>
            <numerusform>Demo (%n step)</numerusform>
            <numerusform>Demo (%n steps)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FinishNotices</name>
    <message numerus="yes">
        <source>%n task(s) finished</source>
        <translation>
            <numerusform>%n task finished</numerusform>
            <numerusform>%n tasks finished</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed.</source>
        <translation>
            <numerusform>%n failed.</numerusform>
            <numerusform>%n failed.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <source>%n task(s) are still running or queued. If you quit now they stop and are offered for retry at the next start.</source>
        <translation>
            <numerusform>%n task is still running or queued. If you quit now it stops and is offered for retry at the next start.</numerusform>
            <numerusform>%n tasks are still running or queued. If you quit now they stop and are offered for retry at the next start.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n task(s) interrupted</source>
        <translation>
            <numerusform>%n task interrupted</numerusform>
            <numerusform>%n tasks interrupted</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>They were running when Headway last stopped.</source>
        <translation>
            <numerusform>It was running when Headway last stopped.</numerusform>
            <numerusform>They were running when Headway last stopped.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Retry all</source>
        <translation>
            <numerusform>Retry</numerusform>
            <numerusform>Retry all</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message numerus="yes">
        <source>Automatic (%n core(s))</source>
        <translation>
            <numerusform>Automatic (%n core)</numerusform>
            <numerusform>Automatic (%n cores)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TaskStoreWriter</name>
    <message numerus="yes">
        <source>Could not save %n task change(s) to %1: %2</source>
        <translation>
            <numerusform>Could not save %n task change to %1: %2</numerusform>
            <numerusform>Could not save %n task changes to %1: %2</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TrayIcon</name>
    <message numerus="yes">
        <source>Headway: %n task(s) running</source>
        <translation>
            <numerusform>Headway: %n task running</numerusform>
            <numerusform>Headway: %n tasks running</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Headway: %n task(s) running, %1% done</source>
        <translation>
            <numerusform>Headway: %n task running, %1% done</numerusform>
            <numerusform>Headway: %n tasks running, %1% done</numerusform>
        </translation>
    </message>
</context>
</TS>
