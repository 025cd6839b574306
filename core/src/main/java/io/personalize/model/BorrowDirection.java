package io.personalize.model;

/**
 * Which users borrow more global steps in the literal batch form. The paper's intuition ("when data
 * is sparse, use global data as much as possible") gives {@link #LESS_DATA_BORROWS_MORE}, the
 * default; Algorithm 3.1 as transcribed gives {@link #MORE_DATA_BORROWS_MORE}.
 */
public enum BorrowDirection {
  LESS_DATA_BORROWS_MORE,
  MORE_DATA_BORROWS_MORE
}
