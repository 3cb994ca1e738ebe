// spdlog's compiled part for what src/common/log.cc uses (a logger, its pattern formatter and
// the stderr sink), built into rootlesskit_lib instead of loading Debian's libspdlog.so at each
// exec (see cmake/Dependencies.cmake). As in spdlog's own src/spdlog.cpp and stdout_sinks.cpp:
// the -inl.h definitions plus the sink instantiations.
#include <spdlog/common-inl.h>
#include <spdlog/details/backtracer-inl.h>
#include <spdlog/details/log_msg-inl.h>
#include <spdlog/details/log_msg_buffer-inl.h>
#include <spdlog/details/os-inl.h>
#include <spdlog/logger-inl.h>
#include <spdlog/pattern_formatter-inl.h>
#include <spdlog/sinks/sink-inl.h>
#include <spdlog/sinks/stdout_sinks-inl.h>

#include <spdlog/details/console_globals.h>

template class SPDLOG_API spdlog::sinks::stdout_sink_base<spdlog::details::console_mutex>;
template class SPDLOG_API spdlog::sinks::stderr_sink<spdlog::details::console_mutex>;
