// A temporary shell script standing in for a helper binary (slirp4netns, pasta, ...), so that
// option resolution (LookPath, probes) can be tested without the real program. Removed on scope exit.
#pragma once

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <stdexcept>
#include <string>

namespace rootlesskit::network {

class FakeBinary {
 public:
  // `body`: the script after "#!/bin/sh\n".
  explicit FakeBinary(const std::string& body) {
    char dir[] = "/tmp/fake-binary-XXXXXX";
    if (::mkdtemp(dir) == nullptr) {
      throw std::runtime_error("mkdtemp failed");
    }
    m_dir = dir;
    m_path = m_dir + "/helper";
    std::ofstream(m_path) << "#!/bin/sh\n" << body;
    ::chmod(m_path.c_str(), 0755);
  }
  ~FakeBinary() {
    ::unlink(m_path.c_str());
    ::rmdir(m_dir.c_str());
  }
  FakeBinary(const FakeBinary&) = delete;
  FakeBinary& operator=(const FakeBinary&) = delete;

  const std::string& path() const { return m_path; }

 private:
  std::string m_dir;
  std::string m_path;
};

}  // namespace rootlesskit::network
