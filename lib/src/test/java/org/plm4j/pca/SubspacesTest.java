package org.plm4j.pca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.plm4j.pca.SeparationTest.assertMessage;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SubspacesTest {

    static double[][] gaussian(int rows, int cols, long seed) {
        Random rnd = new Random(seed);
        double[][] m = new double[rows][cols];
        for (double[] row : m) {
            for (int j = 0; j < cols; j++) {
                row[j] = rnd.nextGaussian();
            }
        }
        return m;
    }

    @Test
    void theAngleBetweenASubspaceAndItselfIsZeroWhateverTheBasis() {
        double[][] a = gaussian(3, 10, 1);
        // another basis of the same span: sums and multiples of a's rows, in another order
        double[][] b = new double[3][10];
        for (int j = 0; j < 10; j++) {
            b[0][j] = a[2][j] - 2 * a[0][j];
            b[1][j] = -a[1][j];
            b[2][j] = 3 * a[0][j] + a[1][j] + 0.5 * a[2][j];
        }
        assertEquals(0, Subspaces.maxAngleDegrees(a, a), 1e-9);
        assertEquals(0, Subspaces.maxAngleDegrees(a, b), 1e-6);
    }

    @Test
    void orthogonalSubspacesAreNinetyDegreesApart() {
        double[][] xy = {{1, 0, 0, 0}, {0, 1, 0, 0}};
        double[][] zw = {{0, 0, 2, 0}, {0, 0, 1, 1}};
        assertEquals(90, Subspaces.maxAngleDegrees(xy, zw), 1e-12);
    }

    @Test
    void theLargestAngleIsTheOneOfTheDirectionThatMovedMost() {
        // the x axis stays, the y axis tilts by 30 degrees towards z
        double t = Math.toRadians(30);
        double[][] a = {{1, 0, 0}, {0, 1, 0}};
        double[][] b = {{1, 0, 0}, {0, Math.cos(t), Math.sin(t)}};
        assertEquals(30, Subspaces.maxAngleDegrees(a, b), 1e-9);
        assertEquals(30, Subspaces.maxAngleDegrees(b, a), 1e-9);
    }

    @Test
    void aTinyTiltIsMeasuredPrecisely() {
        double t = 1e-9;
        double[][] a = {{1, 0, 0}};
        double[][] b = {{Math.cos(t), Math.sin(t), 0}};
        assertEquals(Math.toDegrees(t), Subspaces.maxAngleDegrees(a, b), 1e-18);
        assertEquals(Math.toDegrees(t), Subspaces.angleDegrees(a[0], b[0]), 1e-18);
    }

    @Test
    void aSubspaceInsideALargerOneIsZeroDegreesFromIt() {
        double[][] line = {{1, 1, 0}};
        double[][] plane = {{1, 0, 0}, {0, 1, 0}};
        assertEquals(0, Subspaces.maxAngleDegrees(line, plane), 1e-12);
        assertEquals(90, Subspaces.maxAngleDegrees(new double[][] {{0, 0, 1}}, plane), 1e-12);
    }

    @Test
    void theAngleBetweenDirectionsIgnoresSignAndLength() {
        assertEquals(0, Subspaces.angleDegrees(new double[] {1, 2, 3}, new double[] {-2, -4, -6}), 1e-12);
        assertEquals(90, Subspaces.angleDegrees(new double[] {1, 0}, new double[] {0, 5}), 1e-12);
        assertEquals(45, Subspaces.angleDegrees(new double[] {1, 0}, new double[] {-1, 1}), 1e-12);
    }

    @Test
    void badInputThrowsIllegalArgumentExceptionNamingTheProblem() {
        double[][] plane = {{1, 0, 0}, {0, 1, 0}};
        assertMessage("a has rows of length 2 and b of length 3",
                () -> Subspaces.maxAngleDegrees(new double[][] {{1, 0}}, plane));
        assertMessage("the rows of b are linearly dependent (row 1",
                () -> Subspaces.maxAngleDegrees(plane, new double[][] {{1, 2, 3}, {2, 4, 6}}));
        assertMessage("a has 3 rows of length 2",
                () -> Subspaces.maxAngleDegrees(new double[][] {{1, 0}, {0, 1}, {1, 1}}, new double[][] {{1, 0}}));
        assertMessage("a has 0 rows", () -> Subspaces.maxAngleDegrees(new double[0][], plane));
        assertMessage("b[0][2] is NaN", () -> Subspaces.maxAngleDegrees(plane, new double[][] {{1, 0, Double.NaN}}));
        assertMessage("b is the zero vector", () -> Subspaces.angleDegrees(new double[] {1, 0}, new double[] {0, 0}));
        assertMessage("a has 2 values and b has 3", () -> Subspaces.angleDegrees(new double[] {1, 0}, new double[] {1, 0, 0}));
    }
}
