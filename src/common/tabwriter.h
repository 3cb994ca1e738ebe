// A re-implementation of Go's text/tabwriter (no flags): urfave/cli pipes every help text through
// one, and rootlessctl's list-ports table uses one, so padding and trailing spaces must match Go's.
// Pure string processing; used by any process that prints aligned text.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace rootlesskit {

// Go semantics: a cell is text terminated by '\t' (or '\v', a "soft" cell); the text after the
// last tab of a line is not part of any column and is never padded. A column block is a run of
// consecutive lines that have a cell in that column; its width is the widest cell + padding (at
// least minwidth). '\f' ends a line and flushes. Text between two '\xff' escape bytes counts as one
// run of text with the escapes excluded from its width. Widths count UTF-8 runes.
class TabWriter {
 public:
  // pad_char '\t' pads with tabs up to multiples of tab_width, like Go.
  TabWriter(int min_width, int tab_width, int padding, char pad_char);

  void write(std::string_view text);
  // Formats everything buffered and returns all output produced since the last flush().
  std::string flush();

 private:
  struct Cell {
    size_t size = 0;    // bytes in m_buf
    int width = 0;      // runes
    bool htab = false;  // terminated by '\t' (not '\v')
  };

  void append_text(std::string_view text);
  void update_width();
  size_t terminate_cell(bool htab);
  void add_line();
  void end_escape();
  void flush_internal();
  size_t format(size_t pos, size_t line0, size_t line1);
  size_t write_lines(size_t pos, size_t line0, size_t line1);
  void write_padding(int text_width, int cell_width);

  int m_min_width;
  int m_tab_width;
  int m_padding;
  char m_pad_char;

  std::string m_buf;  // text of the cells not yet formatted
  size_t m_pos = 0;   // start of the current cell's text not yet counted in its width
  Cell m_cell;        // the cell being collected
  bool m_in_escape = false;
  std::vector<std::vector<Cell>> m_lines;
  std::vector<int> m_widths;  // column widths of the block being formatted
  std::string m_out;
};

// Convenience: one write + flush.
std::string tabwrite(std::string_view text, int min_width, int tab_width, int padding, char pad_char);

}  // namespace rootlesskit
