package org.plm4j.evaluate;

import java.util.List;
import java.util.Map;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Macro-F1 of the frequent ("head") and the rare ("tail") classes of an imbalanced task, from
 * {@link ClassificationEvaluation#headTail(Map, double)}; see there for how classes are split.
 *
 * @param headFraction the fraction of classes asked to be in the head
 * @param head head classes, most frequent first
 * @param tail tail classes, most frequent first
 * @param headMacroF1 mean per-class F1 (Tribuo's) over the head classes
 * @param tailMacroF1 mean per-class F1 (Tribuo's) over the tail classes, NaN if the tail is empty
 * @param trainCounts training examples per class, as given
 */
public record HeadTail(double headFraction, List<String> head, List<String> tail, double headMacroF1,
        double tailMacroF1, Map<String, Integer> trainCounts) {

    public HeadTail {
        head = List.copyOf(head);
        tail = List.copyOf(tail);
        trainCounts = Map.copyOf(trainCounts);
    }

    /** One row per part: {@code part}, {@code classes}, {@code trainExamples}, {@code macroF1}. */
    public Table toTable() {
        StringColumn part = StringColumn.create("part", "head", "tail");
        IntColumn classes = IntColumn.create("classes", head.size(), tail.size());
        IntColumn examples = IntColumn.create("trainExamples", sum(head), sum(tail));
        DoubleColumn f1 = DoubleColumn.create("macroF1", headMacroF1, tailMacroF1);
        return Table.create("head/tail macro-F1", part, classes, examples, f1);
    }

    private int sum(List<String> labels) {
        return labels.stream().mapToInt(l -> trainCounts.getOrDefault(l, 0)).sum();
    }

    @Override
    public String toString() {
        return String.format("HeadTail[head %d classes macro-F1=%.4f, tail %d classes macro-F1=%.4f]", head.size(),
                headMacroF1, tail.size(), tailMacroF1);
    }
}
