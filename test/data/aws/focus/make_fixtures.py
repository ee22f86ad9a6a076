#!/usr/bin/env python3
"""Regenerates the to_focus fixtures under test/data/aws/focus/ (each is described below).

    python test/data/aws/focus/make_fixtures.py

Uses only the Python standard library and the `duckdb` package (DuckDB writes the Parquet copy).
The output is deterministic: every value is written out below, rows keep their order, and the
Parquet file is written by one thread. Existing fixtures are overwritten; nothing outside this
folder is touched. Every value is made up: no sample data is read.

Files:
  cur2_semantics.csv          CUR 2.0 (Data Exports) snake_case CSV, net columns present: one or
                              more rows per line item type of sql/aws/line_item_types.csv, plus
                              Spot usage, an unknown line item type, AWS Marketplace, capacity
                              reservations, tags / cost categories / discounts as JSON text and
                              ARN / plain resource ids.
  cur1_semantics_nonet.csv    CUR 1.0 CSV (category/Name headers) without any net column:
                              commitment rows, tax, a discount, resourceTags/user:, aws: and
                              costCategory/ columns, product/region only in the product map.
  cur2_semantics.parquet      the rows of cur2_semantics.csv as CUR 2.0 Parquet (DOUBLE money,
                              MAP columns), for the reconciliation over a Parquet CUR 2.0 file.
"""
import json
import os

import duckdb

HERE = os.path.dirname(os.path.abspath(__file__))


def out(name):
    return os.path.join(HERE, name)


def csv_bytes(header, rows):
    """Quotes a field only when it holds a comma, quote or line break (as AWS does);
    None and '' are written as empty fields."""
    def field(v):
        v = '' if v is None else str(v)
        if any(c in v for c in ',"\r\n'):
            v = '"' + v.replace('"', '""') + '"'
        return v
    lines = [','.join(field(v) for v in row) for row in [header] + rows]
    return ('\n'.join(lines) + '\n').encode('utf-8')


def js(obj):
    return json.dumps(obj, separators=(',', ':'))


# ---------------------------------------------------------------------------------------------
# 1. CUR 2.0 CSV with net columns
# ---------------------------------------------------------------------------------------------
COLS = [
    'identity_line_item_id', 'identity_time_interval', 'bill_invoice_id', 'bill_invoicing_entity',
    'bill_billing_entity', 'bill_bill_type', 'bill_payer_account_id', 'bill_payer_account_name',
    'bill_billing_period_start_date', 'bill_billing_period_end_date',
    'line_item_usage_account_id', 'line_item_usage_account_name', 'line_item_line_item_type',
    'line_item_usage_start_date', 'line_item_usage_end_date', 'line_item_product_code',
    'line_item_usage_type', 'line_item_operation', 'line_item_availability_zone',
    'line_item_resource_id', 'line_item_usage_amount', 'line_item_currency_code',
    'line_item_unblended_rate', 'line_item_unblended_cost', 'line_item_net_unblended_rate',
    'line_item_net_unblended_cost', 'line_item_line_item_description', 'line_item_legal_entity',
    'pricing_public_on_demand_cost', 'pricing_public_on_demand_rate', 'pricing_unit',
    'pricing_rate_code', 'product', 'product_region_code', 'product_location', 'product_sku',
    'product_product_family',
    'reservation_reservation_a_r_n', 'reservation_effective_cost', 'reservation_net_effective_cost',
    'reservation_unused_amortized_upfront_fee_for_billing_period',
    'reservation_net_unused_amortized_upfront_fee_for_billing_period',
    'reservation_unused_recurring_fee', 'reservation_net_unused_recurring_fee',
    'savings_plan_savings_plan_a_r_n', 'savings_plan_savings_plan_effective_cost',
    'savings_plan_net_savings_plan_effective_cost', 'savings_plan_total_commitment_to_date',
    'savings_plan_used_commitment', 'resource_tags', 'cost_category', 'discount',
    'capacity_reservation_capacity_reservation_arn',
    'capacity_reservation_capacity_reservation_status',
]

PERIOD = ('2024-05-01T00:00:00.000Z', '2024-06-01T00:00:00.000Z')
HOUR = ('2024-05-10T10:00:00.000Z', '2024-05-10T11:00:00.000Z')
RI_ARN = 'arn:aws:ec2:us-east-1:000111222333:reserved-instances/ri-0aaa1111'
SP_ARN = 'arn:aws:savingsplans::000111222333:savingsplan/sp-0bbb2222'
SP_UPFRONT_ARN = 'arn:aws:savingsplans::000111222333:savingsplan/sp-0ccc3333'
EC2_PRODUCT = {'product_name': 'Amazon Elastic Compute Cloud', 'region': 'us-east-1'}

# Defaults for every row; each row below overrides what it needs.
BASE = {
    'identity_time_interval': '2024-05-10T10:00:00Z/2024-05-10T11:00:00Z',
    'bill_invoice_id': 'INV-2024-05-0001',
    'bill_invoicing_entity': 'Amazon Web Services, Inc.',
    'bill_billing_entity': 'AWS',
    'bill_bill_type': 'Anniversary',
    'bill_payer_account_id': '000111222333',
    'bill_payer_account_name': 'Example Payer',
    'bill_billing_period_start_date': PERIOD[0],
    'bill_billing_period_end_date': PERIOD[1],
    'line_item_usage_account_id': '000444555666',
    'line_item_usage_account_name': 'workload-prod',
    'line_item_usage_start_date': HOUR[0],
    'line_item_usage_end_date': HOUR[1],
    'line_item_currency_code': 'USD',
    'line_item_legal_entity': 'Amazon Web Services, Inc.',
}

MONTH = {'identity_time_interval': '2024-05-01T00:00:00Z/2024-06-01T00:00:00Z',
         'line_item_usage_start_date': PERIOD[0], 'line_item_usage_end_date': PERIOD[1]}

ROWS = [
    # On-demand EC2 with every kind of tag, an ARN resource id, an EDP discount (net < gross)
    # and a used capacity reservation.
    {'identity_line_item_id': 'od-ec2', 'line_item_line_item_type': 'Usage',
     'line_item_product_code': 'AmazonEC2', 'line_item_usage_type': 'USE1-BoxUsage:m5.large',
     'line_item_operation': 'RunInstances', 'line_item_availability_zone': 'us-east-1a',
     'line_item_resource_id': 'arn:aws:ec2:us-east-1:000444555666:instance/i-0abc123def4567890',
     'line_item_usage_amount': '2', 'line_item_unblended_rate': '0.096',
     'line_item_unblended_cost': '0.192', 'line_item_net_unblended_rate': '0.0912',
     'line_item_net_unblended_cost': '0.1824',
     'line_item_line_item_description': '$0.096 per On Demand Linux m5.large Instance Hour',
     'pricing_public_on_demand_cost': '0.192', 'pricing_public_on_demand_rate': '0.096',
     'pricing_unit': 'Hrs', 'pricing_rate_code': 'SKUEC2M5L.JRTCKXETXF.6YS6EN2CT7',
     'product': js({**EC2_PRODUCT, 'instance_type': 'm5.large'}),
     'product_region_code': 'us-east-1', 'product_location': 'US East (N. Virginia)',
     'product_sku': 'SKUEC2M5L',
     'resource_tags': js({'user_cost_center': 'CC-100', 'user_team': 'web, "api"',
                          'aws_cloudformation_stack_name': 'web-stack'}),
     'cost_category': js({'business_unit': 'Retail', 'env': 'prod'}),
     'discount': js({'edp_discount': -0.0096}),
     'capacity_reservation_capacity_reservation_arn':
         'arn:aws:ec2:us-east-1:000444555666:capacity-reservation/cr-0123456789abcdef0',
     'capacity_reservation_capacity_reservation_status': 'used'},
    # Spot usage: dynamically priced. Plain resource id. Net column empty on this row.
    {'identity_line_item_id': 'spot', 'line_item_line_item_type': 'Usage',
     'line_item_product_code': 'AmazonEC2', 'line_item_usage_type': 'USE1-SpotUsage:c5.xlarge',
     'line_item_operation': 'RunInstances:SV001', 'line_item_availability_zone': 'us-east-1b',
     'line_item_resource_id': 'i-0123456789abcdef0', 'line_item_usage_amount': '1',
     'line_item_unblended_rate': '0.0612', 'line_item_unblended_cost': '0.0612',
     'line_item_line_item_description': '$0.0612 per Spot Linux c5.xlarge Instance Hour',
     'pricing_public_on_demand_cost': '0.17', 'pricing_public_on_demand_rate': '0.17',
     'pricing_unit': 'Hrs', 'pricing_rate_code': 'SKUSPOT.SPOT.RATE', 'product': js(EC2_PRODUCT),
     'product_region_code': 'us-east-1', 'product_location': 'US East (N. Virginia)',
     'product_sku': 'SKUSPOT', 'resource_tags': '{}',
     'discount': js({'edp_discount': 0, 'spp_discount': -0.5})},
    # An unused capacity reservation hour (CUR 2.0 capacity reservation data).
    {'identity_line_item_id': 'cr-unused', 'line_item_line_item_type': 'Usage',
     'line_item_product_code': 'AmazonEC2', 'line_item_usage_type': 'USE1-UnusedBox:m5.large',
     'line_item_operation': 'RunInstances', 'line_item_availability_zone': 'us-east-1a',
     'line_item_resource_id': 'arn:aws:ec2:us-east-1:000444555666:capacity-reservation/cr-0456',
     'line_item_usage_amount': '1', 'line_item_unblended_rate': '0.096',
     'line_item_unblended_cost': '0.096', 'line_item_net_unblended_rate': '0.096',
     'line_item_net_unblended_cost': '0.096',
     'pricing_public_on_demand_cost': '0.096', 'pricing_public_on_demand_rate': '0.096',
     'pricing_unit': 'Hrs', 'pricing_rate_code': 'SKUEC2M5L.JRTCKXETXF.6YS6EN2CT7',
     'product': js(EC2_PRODUCT), 'product_region_code': 'us-east-1', 'product_sku': 'SKUEC2M5L',
     'capacity_reservation_capacity_reservation_arn':
         'arn:aws:ec2:us-east-1:000444555666:capacity-reservation/cr-0456',
     'capacity_reservation_capacity_reservation_status': 'Unused'},
    # Reserved Instance: covered usage, the monthly fee, the upfront fee.
    {'identity_line_item_id': 'ri-covered', 'line_item_line_item_type': 'DiscountedUsage',
     'line_item_product_code': 'AmazonEC2', 'line_item_usage_type': 'USE1-BoxUsage:c5.large',
     'line_item_operation': 'RunInstances', 'line_item_availability_zone': 'us-east-1c',
     'line_item_resource_id': 'arn:aws:ec2:us-east-1:000444555666:instance/i-0ri0000000000001',
     'line_item_usage_amount': '1', 'line_item_unblended_rate': '0',
     'line_item_unblended_cost': '0', 'line_item_net_unblended_rate': '0',
     'line_item_net_unblended_cost': '0',
     'line_item_line_item_description': 'USD 0.0 hourly fee per Linux/UNIX (Amazon VPC), c5.large instance',
     'pricing_public_on_demand_cost': '0.085', 'pricing_public_on_demand_rate': '0.085',
     'pricing_unit': 'Hrs', 'pricing_rate_code': 'SKUEC2C5L.4NA7Y494T4.6YS6EN2CT7',
     'product': js(EC2_PRODUCT), 'product_region_code': 'us-east-1', 'product_sku': 'SKUEC2C5L',
     'reservation_reservation_a_r_n': RI_ARN, 'reservation_effective_cost': '0.0532',
     'reservation_net_effective_cost': '0.05054'},
    {'identity_line_item_id': 'ri-fee', 'line_item_line_item_type': 'RIFee', **MONTH,
     'line_item_product_code': 'AmazonEC2', 'line_item_usage_type': 'HeavyUsage:c5.large',
     'line_item_operation': 'RunInstances', 'line_item_usage_amount': '744',
     'line_item_unblended_rate': '0.034', 'line_item_unblended_cost': '25.296',
     'line_item_net_unblended_rate': '0.0323', 'line_item_net_unblended_cost': '24.0312',
     'line_item_line_item_description': 'USD 0.034 hourly fee per Linux/UNIX (Amazon VPC), c5.large instance',
     'pricing_unit': 'Hrs', 'pricing_rate_code': 'SKUEC2C5L.4NA7Y494T4.RIFEE',
     'product': js(EC2_PRODUCT), 'product_region_code': 'us-east-1', 'product_sku': 'SKUEC2C5L',
     'reservation_reservation_a_r_n': RI_ARN,
     'reservation_unused_amortized_upfront_fee_for_billing_period': '1.5',
     'reservation_net_unused_amortized_upfront_fee_for_billing_period': '1.425',
     'reservation_unused_recurring_fee': '2.25', 'reservation_net_unused_recurring_fee': '2.1375'},
    {'identity_line_item_id': 'ri-upfront', 'line_item_line_item_type': 'Fee', **MONTH,
     'line_item_product_code': 'AmazonEC2', 'line_item_usage_type': 'USE1-HeavyUsage:c5.large',
     'line_item_operation': 'RunInstances', 'line_item_usage_amount': '1',
     'line_item_unblended_rate': '350', 'line_item_unblended_cost': '350',
     'line_item_line_item_description': 'Sign up charge for subscription: 0aaa1111, planId: 1',
     'pricing_unit': 'Quantity', 'product': js(EC2_PRODUCT), 'product_region_code': 'us-east-1',
     'reservation_reservation_a_r_n': RI_ARN},
    # A fee that is no commitment (AWS Support).
    {'identity_line_item_id': 'support-fee', 'line_item_line_item_type': 'Fee', **MONTH,
     'line_item_product_code': 'AWSSupportBusiness', 'line_item_usage_type': 'Dollar',
     'line_item_usage_amount': '1', 'line_item_unblended_rate': '100',
     'line_item_unblended_cost': '100', 'line_item_net_unblended_rate': '95',
     'line_item_net_unblended_cost': '95',
     'line_item_line_item_description': 'AWS Support (Business)', 'pricing_unit': 'Dollar',
     'product': js({'product_name': 'AWS Support (Business)'}), 'product_region_code': 'global',
     'product_location': 'Any', 'product_sku': 'SKUSUPPORT'},
    # Savings Plan: covered usage and its negation (sum 0), recurring fee, upfront fee.
    {'identity_line_item_id': 'sp-covered', 'line_item_line_item_type': 'SavingsPlanCoveredUsage',
     'line_item_product_code': 'AmazonEC2', 'line_item_usage_type': 'USE1-BoxUsage:m5.xlarge',
     'line_item_operation': 'RunInstances', 'line_item_availability_zone': 'us-east-1a',
     'line_item_resource_id': 'arn:aws:ec2:us-east-1:000444555666:instance/i-0sp0000000000001',
     'line_item_usage_amount': '3', 'line_item_unblended_rate': '0.192',
     'line_item_unblended_cost': '0.576', 'line_item_net_unblended_rate': '0.1824',
     'line_item_net_unblended_cost': '0.5472',
     'line_item_line_item_description': '$0.192 per On Demand Linux m5.xlarge Instance Hour',
     'pricing_public_on_demand_cost': '0.576', 'pricing_public_on_demand_rate': '0.192',
     'pricing_unit': 'Hrs', 'pricing_rate_code': 'SKUEC2M5XL.JRTCKXETXF.6YS6EN2CT7',
     'product': js(EC2_PRODUCT), 'product_region_code': 'us-east-1', 'product_sku': 'SKUEC2M5XL',
     'savings_plan_savings_plan_a_r_n': SP_ARN, 'savings_plan_savings_plan_effective_cost': '0.3741',
     'savings_plan_net_savings_plan_effective_cost': '0.355395'},
    {'identity_line_item_id': 'sp-negation', 'line_item_line_item_type': 'SavingsPlanNegation',
     'line_item_product_code': 'AmazonEC2', 'line_item_usage_type': 'USE1-BoxUsage:m5.xlarge',
     'line_item_operation': 'RunInstances', 'line_item_availability_zone': 'us-east-1a',
     'line_item_resource_id': 'arn:aws:ec2:us-east-1:000444555666:instance/i-0sp0000000000001',
     'line_item_usage_amount': '3', 'line_item_unblended_rate': '-0.192',
     'line_item_unblended_cost': '-0.576', 'line_item_net_unblended_rate': '-0.1824',
     'line_item_net_unblended_cost': '-0.5472',
     'line_item_line_item_description': 'SavingsPlanNegation used by AccountId : 000444555666 and UsageSku : SKUEC2M5XL',
     'pricing_unit': 'Hrs', 'pricing_rate_code': 'SKUEC2M5XL.JRTCKXETXF.6YS6EN2CT7',
     'product': js(EC2_PRODUCT), 'product_region_code': 'us-east-1', 'product_sku': 'SKUEC2M5XL',
     'savings_plan_savings_plan_a_r_n': SP_ARN},
    {'identity_line_item_id': 'sp-recurring', 'line_item_line_item_type': 'SavingsPlanRecurringFee',
     **MONTH, 'line_item_product_code': 'ComputeSavingsPlans',
     'line_item_usage_type': 'ComputeSP:1yrNoUpfront', 'line_item_usage_amount': '744',
     'line_item_unblended_rate': '0.5', 'line_item_unblended_cost': '372',
     'line_item_line_item_description': '1 year No Upfront Compute Savings Plan',
     'pricing_unit': 'Hrs', 'product': js({'product_name': 'Savings Plans for AWS Compute usage'}),
     'savings_plan_savings_plan_a_r_n': SP_ARN, 'savings_plan_total_commitment_to_date': '372',
     'savings_plan_used_commitment': '360.25'},
    {'identity_line_item_id': 'sp-upfront', 'line_item_line_item_type': 'SavingsPlanUpfrontFee',
     **MONTH, 'line_item_product_code': 'ComputeSavingsPlans',
     'line_item_usage_type': 'ComputeSP:1yrAllUpfront', 'line_item_usage_amount': '1',
     'line_item_unblended_rate': '8760', 'line_item_unblended_cost': '8760',
     'line_item_line_item_description': '1 year All Upfront Compute Savings Plan',
     'pricing_unit': 'Quantity',
     'product': js({'product_name': 'Savings Plans for AWS Compute usage'}),
     'savings_plan_savings_plan_a_r_n': SP_UPFRONT_ARN},
    # Tax: CUR writes a usage amount of 1 and a unit; FOCUS wants neither.
    {'identity_line_item_id': 'tax', 'line_item_line_item_type': 'Tax', **MONTH,
     'line_item_product_code': 'AmazonEC2', 'line_item_usage_amount': '1',
     'line_item_unblended_cost': '2.5', 'line_item_net_unblended_cost': '2.375',
     'line_item_line_item_description': 'Tax for product code AmazonEC2', 'pricing_unit': 'Hrs',
     'product': js({'product_name': 'Amazon Elastic Compute Cloud'})},
    {'identity_line_item_id': 'credit', 'line_item_line_item_type': 'Credit', **MONTH,
     'line_item_product_code': 'AWSLambda', 'line_item_unblended_cost': '-5',
     'line_item_line_item_description': 'AWS Promotional Credit',
     'product': js({'product_name': 'AWS Lambda'}), 'product_region_code': 'eu-west-1'},
    {'identity_line_item_id': 'refund', 'line_item_line_item_type': 'Refund', **MONTH,
     'line_item_product_code': 'AmazonS3', 'line_item_unblended_cost': '-1.25',
     'line_item_net_unblended_cost': '-1.2',
     'line_item_line_item_description': 'Refund for April storage',
     'product': js({'product_name': 'Amazon Simple Storage Service'})},
    # Discount line items: the EDP line's net is 0 (its effect is in the usage row's net).
    {'identity_line_item_id': 'edp', 'line_item_line_item_type': 'EdpDiscount',
     'line_item_product_code': 'AmazonEC2', 'line_item_usage_type': 'USE1-BoxUsage:m5.large',
     'line_item_usage_amount': '2', 'line_item_unblended_cost': '-0.0096',
     'line_item_net_unblended_cost': '0', 'line_item_line_item_description': 'Enterprise Program Discount',
     'pricing_unit': 'Hrs', 'product': js(EC2_PRODUCT), 'product_region_code': 'us-east-1'},
    {'identity_line_item_id': 'prd', 'line_item_line_item_type': 'PrivateRateDiscount',
     'line_item_product_code': 'AmazonS3', 'line_item_usage_type': 'TimedStorage-ByteHrs',
     'line_item_usage_amount': '100', 'line_item_unblended_cost': '-0.02',
     'line_item_line_item_description': 'Private rate discount', 'pricing_unit': 'GB-Mo',
     'product': js({'product_name': 'Amazon Simple Storage Service'})},
    {'identity_line_item_id': 'bundled', 'line_item_line_item_type': 'BundledDiscount',
     'line_item_product_code': 'AWSDataTransfer', 'line_item_usage_type': 'DataTransfer-Out-Bytes',
     'line_item_usage_amount': '1', 'line_item_unblended_cost': '-0.09',
     'line_item_line_item_description': 'Free data transfer with CloudFront', 'pricing_unit': 'GB',
     'product': js({'product_name': 'AWS Data Transfer'})},
    {'identity_line_item_id': 'spp', 'line_item_line_item_type': 'SppDiscount',
     'line_item_product_code': 'AmazonRDS', 'line_item_unblended_cost': '-0.5',
     'line_item_line_item_description': 'Solution Provider Program discount',
     'product': js({'product_name': 'Amazon Relational Database Service'})},
    {'identity_line_item_id': 'distributor', 'line_item_line_item_type': 'DistributorDiscount',
     'line_item_product_code': 'AmazonRDS', 'line_item_unblended_cost': '-0.25',
     'line_item_line_item_description': 'Distributor discount',
     'product': js({'product_name': 'Amazon Relational Database Service'})},
    {'identity_line_item_id': 'ri-volume', 'line_item_line_item_type': 'RiVolumeDiscount', **MONTH,
     'line_item_product_code': 'AmazonEC2', 'line_item_usage_type': 'HeavyUsage:c5.large',
     'line_item_usage_amount': '744', 'line_item_unblended_cost': '-1.26',
     'line_item_line_item_description': 'RI volume discount', 'pricing_unit': 'Hrs',
     'reservation_reservation_a_r_n': RI_ARN, 'product': js(EC2_PRODUCT)},
    # A line item type FOCUS cannot know.
    {'identity_line_item_id': 'unknown', 'line_item_line_item_type': 'FutureLineItemType', **MONTH,
     'line_item_product_code': 'AmazonS3', 'line_item_usage_type': 'Mystery',
     'line_item_usage_amount': '5', 'line_item_unblended_cost': '0.42',
     'line_item_line_item_description': 'Something new', 'pricing_unit': 'Units',
     'product': js({'product_name': 'Amazon Simple Storage Service'})},
    # AWS Marketplace: opaque product code, the seller as legal entity.
    {'identity_line_item_id': 'marketplace', 'line_item_line_item_type': 'Usage',
     'bill_billing_entity': 'AWS Marketplace', 'bill_invoice_id': 'INV-2024-05-MP01',
     'line_item_legal_entity': 'Acme Analytics LLC',
     'line_item_product_code': '6g1ummt7ko6h3r9lsgku5f5326', 'line_item_usage_type': 'USE1-MP:Units',
     'line_item_operation': 'Hourly', 'line_item_resource_id': 'acme-tenant-42',
     'line_item_usage_amount': '10',
     'line_item_unblended_rate': '0.5', 'line_item_unblended_cost': '5',
     'line_item_net_unblended_rate': '0.5', 'line_item_net_unblended_cost': '5',
     'line_item_line_item_description': 'Acme Analytics Pro, hourly units',
     'pricing_public_on_demand_cost': '5', 'pricing_public_on_demand_rate': '0.5',
     'pricing_unit': 'Units', 'pricing_rate_code': 'MPRATE.1', 'product_sku': 'MPSKU1',
     'product': js({'product_name': 'Acme Analytics Pro'}),
     'resource_tags': js({'user_team': 'bi'})},
    # More resource id shapes, a region the lookup lacks (falls back to product_location),
    # a tag with an empty value, a cost category without tags.
    {'identity_line_item_id': 's3-bucket', 'line_item_line_item_type': 'Usage',
     'line_item_product_code': 'AmazonS3', 'line_item_usage_type': 'USE1-TimedStorage-ByteHrs',
     'line_item_operation': 'StandardStorage', 'line_item_resource_id': 'arn:aws:s3:::my-data-bucket',
     'line_item_usage_amount': '100', 'line_item_unblended_rate': '0.023',
     'line_item_unblended_cost': '2.3', 'line_item_net_unblended_rate': '0.023',
     'line_item_net_unblended_cost': '2.3',
     'pricing_public_on_demand_cost': '2.3', 'pricing_public_on_demand_rate': '0.023',
     'pricing_unit': 'GB-Mo', 'pricing_rate_code': 'SKUS3STD.JRTCKXETXF.PGHJ3S3EYE',
     'product_region_code': 'us-east-1-bos-1', 'product_location': 'US East (Boston)',
     'product_sku': 'SKUS3STD', 'product_product_family': 'Storage',
     'product': js({'product_name': 'Amazon Simple Storage Service'}),
     'resource_tags': js({'user_archived': ''}),
     'cost_category': js({'business_unit': 'Data'})},
    {'identity_line_item_id': 'lambda-fn', 'line_item_line_item_type': 'Usage',
     'line_item_product_code': 'AWSLambda', 'line_item_usage_type': 'EU-Lambda-GB-Second',
     'line_item_operation': 'Invoke',
     'line_item_resource_id': 'arn:aws:lambda:eu-west-1:000444555666:function:resize-images',
     'line_item_usage_amount': '1000', 'line_item_unblended_rate': '0.0000166667',
     'line_item_unblended_cost': '0.0166667', 'line_item_net_unblended_rate': '0.0000166667',
     'line_item_net_unblended_cost': '0.0166667',
     'pricing_public_on_demand_cost': '0.0166667', 'pricing_public_on_demand_rate': '0.0000166667',
     'pricing_unit': 'Lambda-GB-Second', 'pricing_rate_code': 'SKULAMBDA.JRTCKXETXF.6YS6EN2CT7',
     'product_region_code': 'eu-west-1', 'product_location': 'EU (Ireland)', 'product_sku': 'SKULAMBDA',
     'product': js({'product_name': 'AWS Lambda'})},
    {'identity_line_item_id': 'dynamo-table', 'line_item_line_item_type': 'Usage',
     'line_item_product_code': 'AmazonDynamoDB', 'line_item_usage_type': 'USE1-ReadRequestUnits',
     'line_item_operation': 'PayPerRequestThroughput',
     'line_item_resource_id': 'arn:aws:dynamodb:us-east-1:000444555666:table/Orders',
     'line_item_usage_amount': '4000000', 'line_item_unblended_rate': '0.00000025',
     'line_item_unblended_cost': '1', 'line_item_net_unblended_rate': '0.00000025',
     'line_item_net_unblended_cost': '1',
     'pricing_public_on_demand_cost': '1', 'pricing_public_on_demand_rate': '0.00000025',
     'pricing_unit': 'ReadRequestUnits', 'pricing_rate_code': 'SKUDDB.JRTCKXETXF.RRU',
     'product_region_code': 'us-east-1', 'product_sku': 'SKUDDB',
     'product': js({'product_name': 'Amazon DynamoDB'})},
]


def cur2_rows():
    rows = []
    for r in ROWS:
        full = {**BASE, **r}
        unknown = set(full) - set(COLS)
        assert not unknown, unknown
        rows.append([full.get(c) for c in COLS])
    return rows


# ---------------------------------------------------------------------------------------------
# 2. CUR 1.0 CSV without net columns
# ---------------------------------------------------------------------------------------------
CUR1_COLS = [
    'identity/LineItemId', 'identity/TimeInterval', 'bill/InvoiceId', 'bill/BillingEntity',
    'bill/BillType', 'bill/PayerAccountId', 'bill/BillingPeriodStartDate', 'bill/BillingPeriodEndDate',
    'lineItem/UsageAccountId', 'lineItem/LineItemType', 'lineItem/UsageStartDate',
    'lineItem/UsageEndDate', 'lineItem/ProductCode', 'lineItem/UsageType', 'lineItem/Operation',
    'lineItem/AvailabilityZone', 'lineItem/ResourceId', 'lineItem/UsageAmount',
    'lineItem/CurrencyCode', 'lineItem/UnblendedRate', 'lineItem/UnblendedCost',
    'lineItem/LineItemDescription', 'lineItem/LegalEntity', 'product/ProductName', 'product/region',
    'product/location', 'product/sku', 'pricing/RateCode', 'pricing/RateId', 'pricing/publicOnDemandCost',
    'pricing/publicOnDemandRate', 'pricing/unit', 'reservation/ReservationARN',
    'reservation/EffectiveCost', 'reservation/UnusedAmortizedUpfrontFeeForBillingPeriod',
    'reservation/UnusedRecurringFee', 'savingsPlan/SavingsPlanARN',
    'savingsPlan/SavingsPlanEffectiveCost', 'savingsPlan/TotalCommitmentToDate',
    'savingsPlan/UsedCommitment', 'resourceTags/user:Cost Center', 'resourceTags/aws:createdBy',
    'resourceTags/user:env', 'costCategory/Business Unit',
]

CUR1_BASE = {
    'identity/TimeInterval': '2024-04-02T00:00:00Z/2024-04-02T01:00:00Z',
    'bill/InvoiceId': 'INV-2024-04-0001', 'bill/BillingEntity': 'AWS', 'bill/BillType': 'Anniversary',
    'bill/PayerAccountId': '000111222333', 'bill/BillingPeriodStartDate': '2024-04-01T00:00:00Z',
    'bill/BillingPeriodEndDate': '2024-05-01T00:00:00Z', 'lineItem/UsageAccountId': '000444555666',
    'lineItem/UsageStartDate': '2024-04-02T00:00:00Z', 'lineItem/UsageEndDate': '2024-04-02T01:00:00Z',
    'lineItem/CurrencyCode': 'USD', 'lineItem/LegalEntity': 'Amazon Web Services, Inc.',
}
CUR1_MONTH = {'identity/TimeInterval': '2024-04-01T00:00:00Z/2024-05-01T00:00:00Z',
              'lineItem/UsageStartDate': '2024-04-01T00:00:00Z',
              'lineItem/UsageEndDate': '2024-05-01T00:00:00Z'}
RI1_ARN = 'arn:aws:rds:us-east-1:000111222333:ri:orders-ri'
SP1_ARN = 'arn:aws:savingsplans::000111222333:savingsplan/sp-0ddd4444'

CUR1_ROWS = [
    {'identity/LineItemId': 'n-usage', 'lineItem/LineItemType': 'Usage',
     'lineItem/ProductCode': 'AmazonRDS', 'lineItem/UsageType': 'InstanceUsage:db.t3.micro',
     'lineItem/Operation': 'CreateDBInstance:0002', 'lineItem/AvailabilityZone': 'us-east-1a',
     'lineItem/ResourceId': 'arn:aws:rds:us-east-1:000444555666:db:orders-db',
     'lineItem/UsageAmount': '1', 'lineItem/UnblendedRate': '0.017', 'lineItem/UnblendedCost': '0.017',
     'lineItem/LineItemDescription': '$0.017 per RDS db.t3.micro instance hour',
     'product/ProductName': 'Amazon Relational Database Service', 'product/region': 'us-east-1',
     'product/location': 'US East (N. Virginia)', 'product/sku': 'SKURDS',
     'pricing/RateCode': 'SKURDS.JRTCKXETXF.6YS6EN2CT7', 'pricing/publicOnDemandCost': '0.017',
     'pricing/publicOnDemandRate': '0.017', 'pricing/unit': 'Hrs',
     'resourceTags/user:Cost Center': 'CC 7', 'resourceTags/aws:createdBy': 'IAMUser:AIDAEXAMPLE:alice',
     'resourceTags/user:env': '', 'costCategory/Business Unit': 'Retail'},
    {'identity/LineItemId': 'n-ri-covered', 'lineItem/LineItemType': 'DiscountedUsage',
     'lineItem/ProductCode': 'AmazonRDS', 'lineItem/UsageType': 'InstanceUsage:db.r5.large',
     'lineItem/Operation': 'CreateDBInstance:0002',
     'lineItem/ResourceId': 'arn:aws:rds:us-east-1:000444555666:db:reports-db',
     'lineItem/UsageAmount': '1', 'lineItem/UnblendedRate': '0', 'lineItem/UnblendedCost': '0',
     'product/ProductName': 'Amazon Relational Database Service', 'product/region': 'us-east-1',
     'product/sku': 'SKURDSR5', 'pricing/RateCode': 'SKURDSR5.RI.RATE',
     'pricing/publicOnDemandCost': '0.25', 'pricing/publicOnDemandRate': '0.25', 'pricing/unit': 'Hrs',
     'reservation/ReservationARN': RI1_ARN, 'reservation/EffectiveCost': '0.16',
     'resourceTags/user:env': 'prod'},
    {'identity/LineItemId': 'n-ri-fee', 'lineItem/LineItemType': 'RIFee', **CUR1_MONTH,
     'lineItem/ProductCode': 'AmazonRDS', 'lineItem/UsageType': 'HeavyUsage:db.r5.large',
     'lineItem/UsageAmount': '720', 'lineItem/UnblendedRate': '0.16', 'lineItem/UnblendedCost': '115.2',
     'product/ProductName': 'Amazon Relational Database Service', 'product/region': 'us-east-1',
     'product/sku': 'SKURDSR5', 'pricing/RateId': '12345678',
     'pricing/unit': 'Hrs', 'reservation/ReservationARN': RI1_ARN,
     'reservation/UnusedAmortizedUpfrontFeeForBillingPeriod': '0',
     'reservation/UnusedRecurringFee': '3.2'},
    {'identity/LineItemId': 'n-sp-covered', 'lineItem/LineItemType': 'SavingsPlanCoveredUsage',
     'lineItem/ProductCode': 'AWSLambda', 'lineItem/UsageType': 'Lambda-GB-Second',
     'lineItem/ResourceId': 'arn:aws:lambda:us-east-1:000444555666:function:thumbs',
     'lineItem/UsageAmount': '6000', 'lineItem/UnblendedRate': '0.0000166667',
     'lineItem/UnblendedCost': '0.1000002', 'product/ProductName': 'AWS Lambda',
     'product/region': 'us-east-1', 'pricing/publicOnDemandCost': '0.1000002',
     'pricing/publicOnDemandRate': '0.0000166667', 'pricing/unit': 'Lambda-GB-Second',
     'savingsPlan/SavingsPlanARN': SP1_ARN, 'savingsPlan/SavingsPlanEffectiveCost': '0.0830002'},
    {'identity/LineItemId': 'n-sp-negation', 'lineItem/LineItemType': 'SavingsPlanNegation',
     'lineItem/ProductCode': 'AWSLambda', 'lineItem/UsageType': 'Lambda-GB-Second',
     'lineItem/ResourceId': 'arn:aws:lambda:us-east-1:000444555666:function:thumbs',
     'lineItem/UsageAmount': '6000', 'lineItem/UnblendedRate': '-0.0000166667',
     'lineItem/UnblendedCost': '-0.1000002', 'product/ProductName': 'AWS Lambda',
     'product/region': 'us-east-1', 'pricing/unit': 'Lambda-GB-Second',
     'savingsPlan/SavingsPlanARN': SP1_ARN},
    {'identity/LineItemId': 'n-sp-recurring', 'lineItem/LineItemType': 'SavingsPlanRecurringFee',
     **CUR1_MONTH, 'lineItem/ProductCode': 'ComputeSavingsPlans',
     'lineItem/UsageType': 'ComputeSP:3yrNoUpfront', 'lineItem/UsageAmount': '720',
     'lineItem/UnblendedRate': '0.1', 'lineItem/UnblendedCost': '72',
     'product/ProductName': 'Savings Plans for AWS Compute usage', 'pricing/unit': 'Hrs',
     'pricing/RateId': '999',
     'savingsPlan/SavingsPlanARN': SP1_ARN, 'savingsPlan/TotalCommitmentToDate': '72',
     'savingsPlan/UsedCommitment': '71.9169998'},
    {'identity/LineItemId': 'n-tax', 'lineItem/LineItemType': 'Tax', **CUR1_MONTH,
     'lineItem/ProductCode': 'AmazonRDS', 'lineItem/UsageAmount': '1', 'lineItem/UnblendedCost': '11.52',
     'lineItem/LineItemDescription': 'Tax for product code AmazonRDS',
     'product/ProductName': 'Amazon Relational Database Service'},
    {'identity/LineItemId': 'n-edp', 'lineItem/LineItemType': 'EdpDiscount',
     'lineItem/ProductCode': 'AmazonRDS', 'lineItem/UsageType': 'InstanceUsage:db.t3.micro',
     'lineItem/UsageAmount': '1', 'lineItem/UnblendedCost': '-0.00085',
     'product/ProductName': 'Amazon Relational Database Service', 'product/location': 'US West (Oregon)',
     'pricing/unit': 'Hrs'},
]


def cur1_rows():
    rows = []
    for r in CUR1_ROWS:
        full = {**CUR1_BASE, **r}
        unknown = set(full) - set(CUR1_COLS)
        assert not unknown, unknown
        rows.append([full.get(c) for c in CUR1_COLS])
    return rows


# ---------------------------------------------------------------------------------------------
# 3. The CUR 2.0 rows as Parquet (DOUBLE money and quantities, MAP columns), via DuckDB
# ---------------------------------------------------------------------------------------------
MONEY = {'line_item_usage_amount', 'line_item_unblended_rate', 'line_item_unblended_cost',
         'line_item_net_unblended_rate', 'line_item_net_unblended_cost',
         'pricing_public_on_demand_cost', 'pricing_public_on_demand_rate'} | {
    c for c in COLS if c.startswith(('reservation_', 'savings_plan_')) and not c.endswith('a_r_n')}
MAPS = {'product': 'MAP(VARCHAR, VARCHAR)', 'resource_tags': 'MAP(VARCHAR, VARCHAR)',
        'cost_category': 'MAP(VARCHAR, VARCHAR)', 'discount': 'MAP(VARCHAR, DOUBLE)'}
TIMES = {'bill_billing_period_start_date', 'bill_billing_period_end_date',
         'line_item_usage_start_date', 'line_item_usage_end_date'}


def write_parquet(csv_path, parquet_path):
    def expr(c):
        q = f'"{c}"'
        if c in MONEY:
            return f'CAST({q} AS DOUBLE) AS {q}'
        if c in TIMES:
            return f'CAST({q} AS TIMESTAMPTZ) AS {q}'
        return q
    con = duckdb.connect()
    con.execute("SET TimeZone='UTC'")
    con.execute('SET threads=1')
    src = csv_path.replace("'", "''")
    dst = parquet_path.replace("'", "''")
    # Maps: parse the JSON text with DuckDB's own JSON reader, then cast to the map type.
    select = ', '.join(
        f'CAST(CAST(nullif("{c}", \'\') AS JSON) AS {MAPS[c]}) AS "{c}"' if c in MAPS else expr(c)
        for c in COLS)
    con.execute(f"COPY (SELECT {select} FROM read_csv('{src}', all_varchar = true, header = true) "
                f"ORDER BY identity_line_item_id) TO '{dst}' (FORMAT parquet, COMPRESSION snappy)")
    con.close()


def main():
    with open(out('cur2_semantics.csv'), 'wb') as f:
        f.write(csv_bytes(COLS, cur2_rows()))
    with open(out('cur1_semantics_nonet.csv'), 'wb') as f:
        f.write(csv_bytes(CUR1_COLS, cur1_rows()))
    write_parquet(out('cur2_semantics.csv'), out('cur2_semantics.parquet'))
    total = sum(os.path.getsize(out(n)) for n in os.listdir(HERE) if not n.endswith('.py'))
    print(f'fixtures written under {HERE} ({total} bytes in total)')


if __name__ == '__main__':
    main()
