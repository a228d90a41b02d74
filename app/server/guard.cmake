# The transport guard in front of Qt 6.4's QHttpServer (request limits, strict framing,
# 100-continue, timeouts) and the access token store. Included by app/server/CMakeLists.txt.
# headway_server links the headway_server_guard library; HEADWAY_SERVER_GUARD_SOURCES
# (relative to app/server) lists the same files for reference: do not compile them twice.
set(HEADWAY_SERVER_GUARD_SOURCES
    accesstoken.cpp accesstoken.h
    authratelimiter.cpp authratelimiter.h
    bodysink.h
    guardedsocket.cpp guardedsocket.h
    guardedtcpserver.cpp guardedtcpserver.h
    httpheadscanner.cpp httpheadscanner.h
)

if(NOT TARGET headway_server_guard)
    list(TRANSFORM HEADWAY_SERVER_GUARD_SOURCES PREPEND ${CMAKE_CURRENT_LIST_DIR}/
         OUTPUT_VARIABLE _headway_guard_sources)
    add_library(headway_server_guard STATIC ${_headway_guard_sources})
    target_link_libraries(headway_server_guard
        PUBLIC headway_core Qt6::Core Qt6::Network # headway_core: PrivateDir for the token
        PRIVATE headway_common_cfg)
    target_include_directories(headway_server_guard PUBLIC ${PROJECT_SOURCE_DIR})
endif()
