// Go text/tabwriter semantics: column blocks, trailing cells, padding, '\v', '\f', escapes.
#include "common/tabwriter.h"

#include <gtest/gtest.h>

namespace rootlesskit {
namespace {

std::string help_tw(std::string_view text) { return tabwrite(text, 1, 8, 2, ' '); }

TEST(TabWriter, AlignsOneColumn) { EXPECT_EQ(help_tw("a\tb\nccc\td\n"), "a    b\nccc  d\n"); }

TEST(TabWriter, LastCellOfALineIsNotPadded) { EXPECT_EQ(help_tw("a\tb  \nccc\td\n"), "a    b  \nccc  d\n"); }

TEST(TabWriter, TabTerminatedLastCellIsPadded) {
  // rootlessctl list-ports: header and rows end with a tab (upstream cmd/rootlessctl/port.go).
  const std::string text =
      "ID\tPROTO\tPARENTIP\tPARENTPORT\tCHILDIP\tCHILDPORT\t\n"
      "1\ttcp\t127.0.0.1\t18080\t\t80\t\n";
  EXPECT_EQ(tabwrite(text, 4, 8, 4, ' '),
            "ID    PROTO    PARENTIP     PARENTPORT    CHILDIP    CHILDPORT    \n"
            "1     tcp      127.0.0.1    18080                    80           \n");
}

TEST(TabWriter, LineWithoutTabsEndsTheBlock) { EXPECT_EQ(help_tw("a\tb\nxx\ncccc\td\n"), "a  b\nxx\ncccc  d\n"); }

TEST(TabWriter, InnerColumnBlocksAreIndependent) {
  // Only the first line has a cell in column 1, so that column is sized by it alone.
  EXPECT_EQ(help_tw("a\tb\tc\nddd\te\n"), "a    b  c\nddd  e\n");
  EXPECT_EQ(help_tw("a\tbbbb\tc\nddd\te\tf\n"), "a    bbbb  c\nddd  e     f\n");
}

TEST(TabWriter, NoTrailingNewline) {
  EXPECT_EQ(help_tw("a\tb"), "a  b");
  EXPECT_EQ(help_tw("abc"), "abc");
  EXPECT_EQ(help_tw(""), "");
}

TEST(TabWriter, EmptyCellsAndMinWidth) {
  EXPECT_EQ(help_tw("\tb\n"), "  b\n");
  EXPECT_EQ(tabwrite("a\tb\n", 5, 8, 1, ' '), "a    b\n");
  EXPECT_EQ(tabwrite("abcdef\tb\n", 5, 8, 1, ' '), "abcdef b\n");
}

TEST(TabWriter, SeparatorLinesCarryTrailingPadding) {
  // The urfave help layout: headers and "  \t" lines are padded to the column width.
  EXPECT_EQ(help_tw("  Misc:\t\n    --debug\tdebug mode\n  \t\n"),
            "  Misc:      \n    --debug  debug mode\n             \n");
}

TEST(TabWriter, WidthCountsRunes) { EXPECT_EQ(help_tw("\xc3\xa9\tx\nab\ty\n"), "\xc3\xa9   x\nab  y\n"); }

TEST(TabWriter, SoftTabAndFormFeed) {
  EXPECT_EQ(help_tw("a\vb\nccc\vd\n"), "a    b\nccc  d\n");
  // '\f' ends the line and the block: the next lines are formatted on their own.
  EXPECT_EQ(help_tw("a\tb\fccc\td\n"), "a  b\nccc  d\n");
}

TEST(TabWriter, EscapedTextIsOneRun) {
  EXPECT_EQ(help_tw("\xff"
                    "a\tb\xff\tc\nd\te\n"),
            "\xff"
            "a\tb\xff  c\nd    e\n");
}

TEST(TabWriter, TabPaddingLikeGoDocExample) {
  TabWriter w(0, 8, 0, '\t');
  w.write("a\tb\tc\td\t.\n");
  w.write("123\t12345\t1234567\t123456789\t.\n");
  EXPECT_EQ(w.flush(), "a\tb\tc\td\t\t.\n123\t12345\t1234567\t123456789\t.\n");
}

TEST(TabWriter, WritesMaySplitCells) {
  TabWriter w(1, 8, 2, ' ');
  w.write("ab");
  w.write("c\td\nx");
  w.write("\ty\n");
  EXPECT_EQ(w.flush(), "abc  d\nx    y\n");
  w.write("q\tr\n");
  EXPECT_EQ(w.flush(), "q  r\n");
}

}  // namespace
}  // namespace rootlesskit
