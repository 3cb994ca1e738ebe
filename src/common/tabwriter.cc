// Go text/tabwriter, flags 0: cells are collected per line, then each column block is formatted
// recursively from left to right exactly like Go's Writer.format/writeLines.
#include "common/tabwriter.h"

#include <algorithm>
#include <stdexcept>

namespace rootlesskit {

namespace {

constexpr char escape_byte = '\xff';

// utf8.RuneCount: each valid sequence is one rune, each byte of an invalid one is one rune.
int rune_count(std::string_view s) {
  int n = 0;
  for (size_t i = 0; i < s.size(); ++n) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t len = 1;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
    }
    bool valid = i + len <= s.size();
    for (size_t k = 1; valid && k < len; ++k) {
      valid = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    }
    i += valid ? len : 1;
  }
  return n;
}

}  // namespace

TabWriter::TabWriter(int min_width, int tab_width, int padding, char pad_char)
    : m_min_width(min_width), m_tab_width(tab_width), m_padding(padding), m_pad_char(pad_char) {
  if (min_width < 0 || tab_width < 0 || padding < 0) {
    throw std::invalid_argument("negative minwidth, tabwidth, or padding");
  }
  add_line();
}

void TabWriter::append_text(std::string_view text) {
  m_buf.append(text);
  m_cell.size += text.size();
}

void TabWriter::update_width() {
  m_cell.width += rune_count(std::string_view(m_buf).substr(m_pos));
  m_pos = m_buf.size();
}

size_t TabWriter::terminate_cell(bool htab) {
  m_cell.htab = htab;
  auto& line = m_lines.back();
  line.push_back(m_cell);
  m_cell = Cell{};
  return line.size();
}

void TabWriter::add_line() { m_lines.emplace_back(); }

void TabWriter::end_escape() {
  update_width();
  m_cell.width -= 2;  // the two escape bytes are written but take no room
  m_pos = m_buf.size();
  m_in_escape = false;
}

void TabWriter::write(std::string_view text) {
  size_t n = 0;  // start of the text not yet appended
  for (size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (m_in_escape) {
      if (ch == escape_byte) {
        append_text(text.substr(n, i + 1 - n));
        n = i + 1;
        end_escape();
      }
      continue;
    }
    if (ch == '\t' || ch == '\v' || ch == '\n' || ch == '\f') {
      append_text(text.substr(n, i - n));
      update_width();
      n = i + 1;
      const size_t ncells = terminate_cell(ch == '\t');
      if (ch == '\n' || ch == '\f') {
        add_line();
        // A line with a single cell cannot influence later columns, so Go flushes here.
        if (ch == '\f' || ncells == 1) {
          flush_internal();
        }
      }
    } else if (ch == escape_byte) {
      append_text(text.substr(n, i - n));
      update_width();
      n = i;  // the escape byte itself is kept in the output
      m_in_escape = true;
    }
  }
  append_text(text.substr(n));
}

void TabWriter::flush_internal() {
  if (m_cell.size > 0) {
    if (m_in_escape) {
      end_escape();
    }
    terminate_cell(false);
  }
  format(0, 0, m_lines.size());
  m_buf.clear();
  m_pos = 0;
  m_cell = Cell{};
  m_in_escape = false;
  m_lines.clear();
  m_widths.clear();
  add_line();
}

std::string TabWriter::flush() {
  flush_internal();
  std::string out;
  out.swap(m_out);
  return out;
}

size_t TabWriter::format(size_t pos, size_t line0, size_t line1) {
  const size_t column = m_widths.size();
  for (size_t row = line0; row < line1; ++row) {
    // The last cell of a line is the text after its last tab: it belongs to no column.
    if (column + 1 >= m_lines[row].size()) {
      continue;
    }
    pos = write_lines(pos, line0, row);
    line0 = row;
    int width = m_min_width;
    for (; row < line1; ++row) {
      const auto& line = m_lines[row];
      if (column + 1 >= line.size()) {
        break;
      }
      width = std::max(width, line[column].width + m_padding);
    }
    m_widths.push_back(width);
    pos = format(pos, line0, row);
    m_widths.pop_back();
    line0 = row;
  }
  return write_lines(pos, line0, line1);
}

size_t TabWriter::write_lines(size_t pos, size_t line0, size_t line1) {
  for (size_t i = line0; i < line1; ++i) {
    const auto& line = m_lines[i];
    for (size_t j = 0; j < line.size(); ++j) {
      const Cell& c = line[j];
      m_out.append(m_buf, pos, c.size);
      pos += c.size;
      if (j < m_widths.size()) {
        write_padding(c.width, m_widths[j]);
      }
    }
    if (i + 1 == m_lines.size()) {
      // The unterminated tail of the last line is written without a newline.
      m_out.append(m_buf, pos, m_cell.size);
      pos += m_cell.size;
    } else {
      m_out += '\n';
    }
  }
  return pos;
}

void TabWriter::write_padding(int text_width, int cell_width) {
  if (m_pad_char == '\t') {
    if (m_tab_width == 0) {
      return;
    }
    cell_width = (cell_width + m_tab_width - 1) / m_tab_width * m_tab_width;
    const int n = cell_width - text_width;
    m_out.append(static_cast<size_t>((n + m_tab_width - 1) / m_tab_width), '\t');
    return;
  }
  m_out.append(static_cast<size_t>(cell_width - text_width), m_pad_char);
}

std::string tabwrite(std::string_view text, int min_width, int tab_width, int padding, char pad_char) {
  TabWriter w(min_width, tab_width, padding, pad_char);
  w.write(text);
  return w.flush();
}

}  // namespace rootlesskit
