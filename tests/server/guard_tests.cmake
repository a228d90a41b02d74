# Tests of the transport guard and the token store (see app/server/guard.cmake).
# Included by tests/server/CMakeLists.txt unconditionally; its glob of tst_*.cpp skips these four.
headway_add_test(tst_httpheadscanner LIBS headway_server_guard)
headway_add_test(tst_guardedtcpserver LIBS headway_server_guard Qt6::HttpServer Qt6::WebSockets)
headway_add_test(tst_accesstoken LIBS headway_server_guard)
headway_add_test(tst_authratelimiter LIBS headway_server_guard)
