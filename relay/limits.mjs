// Token bucket (rate limit with a burst allowance): `rate` tokens per second refill a bucket of
// `burst` tokens; take(n) spends n tokens or refuses without spending.
export class TokenBucket {
  constructor(rate, burst, now = Date.now()) {
    this.rate = rate;
    this.burst = burst;
    this.tokens = burst;
    this.at = now;
  }

  take(n = 1, now = Date.now()) {
    if (this.rate === Infinity) return true;
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) / 1000) * this.rate);
    this.at = now;
    if (this.tokens < n) return false;
    this.tokens -= n;
    return true;
  }
}
