package org.plm4j.kernel.magic;

import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.magic.LineMagic;

import java.util.List;
import java.util.TreeSet;

/** {@code %help}: lists the line and cell magics registered in the kernel (by the kernel and by extensions). */
public final class HelpMagic implements LineMagic<Void, BaseKernel> {
    @Override
    public Void eval(BaseKernel kernel, List<String> args) {
        System.out.println("Line magics: " + String.join(" ", new TreeSet<>(kernel.getMagicsRegistry().getLineMagicNames()).stream().map(n -> "%" + n).toList()));
        System.out.println("Cell magics: " + String.join(" ", new TreeSet<>(kernel.getMagicsRegistry().getCellMagicNames()).stream().map(n -> "%%" + n).toList()));
        System.out.println("Most magics print their usage and the equivalent Java call with --help.");
        return null;
    }
}
